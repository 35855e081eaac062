"""Every membership URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.membership.tests.helpers import make_all

    o = make_all(cast)
    b = cast.branch.pk
    import datetime as dt

    from zhibu.orgs.models import Transfer

    came = Transfer.objects.create(
        person=cast.people[4],
        branch=cast.branch,
        direction="in",
        date=dt.date(2026, 2, 10),
        other_org="外区实验幼儿园党支部",
        letter_number="〔2026〕第3号",
    )
    return {
        "membership:incoming_receipt": {"org_id": b, "transfer_id": came.pk},
        "membership:index": {"org_id": b},
        "membership:district": {"org_id": b},
        "membership:case_new": {"org_id": b},
        "membership:case": {"org_id": b, "case_id": o["pending"].pk},
        "membership:letter": {"org_id": b, "case_id": o["out"].pk},
        "membership:receipt": {"org_id": b, "case_id": o["out"].pk},
        "membership:cancel": {"org_id": b, "case_id": o["temp"].pk},
        "membership:resubmit": {"org_id": b, "case_id": o["pending"].pk},
        "membership:status_new": {"org_id": b},
        "membership:person": {"org_id": b, "person_id": cast.member_person.pk},
        "membership:merit_new": {"org_id": b, "person_id": cast.member_person.pk},
        "membership:ask": {"org_id": b},
        "membership:decline": {"org_id": b, "request_id": o["request"].pk},
    }
