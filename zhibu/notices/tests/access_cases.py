"""Every notices URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py).
District pages take the branch too: there they answer 403 (the district acts on its own page)."""

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.notices.tests.helpers import make_all

    o = make_all(cast)
    b = cast.branch.pk
    n = o["notice"].pk
    return {
        "notices:index": {"org_id": b},
        "notices:notice": {"org_id": b, "notice_id": n},
        "notices:file": {"org_id": b, "notice_id": n, "file_id": o["file"].pk},
        "notices:read": {"org_id": b, "recipient_id": o["branch_row"].pk},
        "notices:forward": {"org_id": b, "recipient_id": o["branch_row"].pk},
        "notices:answer": {"org_id": b, "task_id": o["task"].pk},
        "notices:answer_file": {"org_id": b, "answer_id": o["answer"].pk},
        "notices:district": {"org_id": b},
        "notices:notice_new": {"org_id": b},
        "notices:sent": {"org_id": b, "notice_id": n},
        "notices:remind": {"org_id": b, "notice_id": n},
        "notices:guides": {"org_id": b},
        "notices:tasks": {"org_id": b},
        "notices:task_new": {"org_id": b},
        "notices:task": {"org_id": b, "task_id": o["task"].pk},
        "notices:decide": {"org_id": b, "answer_id": o["answer"].pk},
    }
