"""Access cases for every URL of the review app (see zhibu/core/tests/test_access_all_urls.py).

The ballot page `review:vote` is public by design: voters open it from a printed slip on their own phone
without an account; the one-time code is the key and the ballot must not be linkable to a user.
Its own tests (test_poll.py, test_bad_input_ballots.py) check forged, expired, reused and foreign codes.
"""

import datetime as dt

from zhibu.core import clock

PUBLIC = {"review:vote"}  # anonymous ballot by one-time code: see test_poll.py
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_review(cast, **kwargs):
    from zhibu.review import services

    today = clock.today()
    kwargs.setdefault("held_on", today)
    return services.open_review(actor=cast.secretary, branch=cast.branch, year=today.year, **kwargs)


def cases(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhibu.review import services

    review = make_review(cast)
    upload = SimpleUploadedFile("自评.png", PNG, content_type="image/png")
    item = services.save_self_assessment(actor=cast.secretary, review=review, person=cast.member_person, upload=upload)
    exclusion = services.exclude(actor=cast.secretary, review=review, person=cast.people[7], reason="illness")
    b, r = cast.branch.pk, review.pk
    return {
        "review:index": {"org_id": b},
        "review:new": {"org_id": b},
        "review:district": {"org_id": b},
        "review:district_xlsx": {"org_id": b},
        "review:detail": {"org_id": b, "review_id": r},
        "review:edit": {"org_id": b, "review_id": r},
        "review:step": {"org_id": b, "review_id": r, "code": "study"},
        "review:exclusions": {"org_id": b, "review_id": r},
        "review:unexclude": {"org_id": b, "review_id": r, "exclusion_id": exclusion.pk},
        "review:self": {"org_id": b, "review_id": r},
        "review:self_file": {"org_id": b, "review_id": r, "item_id": item.pk},
        "review:poll": {"org_id": b, "review_id": r},
        "review:issue": {"org_id": b, "review_id": r},
        "review:close": {"org_id": b, "review_id": r},
        "review:tally_xlsx": {"org_id": b, "review_id": r},
        "review:form_blank": {"org_id": b, "review_id": r},
        "review:form_filled": {"org_id": b, "review_id": r},
        "review:grades": {"org_id": b, "review_id": r},
        "review:finalise": {"org_id": b, "review_id": r},
        "review:followup": {"org_id": b, "review_id": r, "person_id": cast.member_person.pk},
        "review:report": {"org_id": b, "review_id": r},
        "review:notice": {"org_id": b, "review_id": r},
    }
