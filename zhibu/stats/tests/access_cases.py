"""Every stats URL, pointing at the cast's branch (see core/tests/test_access_all_urls.py)."""

PUBLIC: set[str] = set()


def cases(cast):
    b = cast.branch.pk
    return {
        "stats:index": {"org_id": b},
        "stats:export": {"org_id": b},
        "stats:cell": {"org_id": b, "table": "basic", "row": "total"},
        "stats:branch": {"org_id": b},
        "stats:members_export": {"org_id": b},
    }
