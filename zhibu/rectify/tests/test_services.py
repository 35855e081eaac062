import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.core.clock import frozen
from zhibu.core.models import AuditEntry
from zhibu.rectify import rules, services
from zhibu.rectify.models import Item, Note
from zhibu.rectify.tests.helpers import raise_one

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _codes(exc):
    return {e.code for e in exc.value.error_list}


def test_raise_item_is_the_one_entry_and_audited(cast):
    item = raise_one(cast, source="组织生活会", link=cast.branch)
    assert item.source.code == "org_life_meeting" and item.status == rules.OPEN
    assert item.link == cast.branch  # the generic link to the source record
    assert AuditEntry.objects.filter(action="rectify.raise", object_id=str(item.pk)).exists()


def test_inspection_items_carry_the_two_month_report_deadline(cast):
    item = raise_one(
        cast,
        source="inspection",
        raised_on=dt.date(2026, 3, 31),
        deadline=dt.date(2026, 6, 30),
        raised_by_org=cast.district,
    )
    assert item.report_due == dt.date(2026, 5, 31)


@pytest.mark.parametrize(
    "kw, code",
    [
        ({"source": "外星来信"}, "unknown_source"),
        ({"deadline": dt.date(2026, 2, 1)}, "deadline_before_raised"),
        ({"problem": "  "}, "no_problem"),
        ({"kind": "deadline", "deadline": None}, "deadline_required"),
        ({"kind": "maybe"}, "unknown_kind"),
    ],
)
def test_refused_items_write_nothing_and_say_why_in_chinese(cast, kw, code):
    with pytest.raises(ValidationError) as exc:
        raise_one(cast, **kw)
    assert code in _codes(exc)
    assert all("\u4e00" <= ch <= "\u9fff" for ch in exc.value.messages[0][:2])
    assert not Item.objects.exists() and not AuditEntry.objects.filter(action__startswith="rectify").exists()


def test_a_responsible_person_from_another_branch_is_refused(cast):
    with pytest.raises(ValidationError) as exc:
        raise_one(cast, responsible=cast.outsider_person)
    assert "responsible_elsewhere" in _codes(exc)


def test_no_closure_without_evidence(cast):
    item = raise_one(cast)
    with pytest.raises(ValidationError) as exc:
        services.submit(actor=cast.secretary, item=item, evidence="   ")
    assert "no_evidence" in _codes(exc)
    item.refresh_from_db()
    assert item.status == rules.OPEN
    # and a closer cannot close what was never submitted
    with pytest.raises(ValidationError) as exc:
        services.close(actor=cast.district_admin, item=item)
    assert "bad_transition" in _codes(exc)


def test_submit_close_review_and_reopen(cast):
    with frozen(dt.date(2026, 4, 1)):
        item = raise_one(cast)
        services.start(actor=cast.secretary, item=item)
        services.add_note(actor=cast.secretary, item=item, text="已完成一半")
        services.submit(
            actor=cast.secretary,
            item=item,
            evidence="谈话记录已补齐",
            uploads=[SimpleUploadedFile("记录.png", PNG, content_type="image/png")],
        )
        item = services.close(actor=cast.district_admin, item=item)
    assert item.status == rules.CLOSED and item.closed_on == dt.date(2026, 4, 1)
    assert item.review_due == dt.date(2027, 4, 1)  # 12 months by default
    assert item.files.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.update_item(actor=cast.secretary, item=item, data={"problem": "改一下"})
    assert "closed_not_editable" in _codes(exc)
    with pytest.raises(ValidationError):
        services.review(actor=cast.district_admin, item=item, confirmed=False, note="")
    item = services.review(actor=cast.district_admin, item=item, confirmed=False, note="问题反弹")
    assert item.status == rules.IN_PROGRESS and item.reopened == 1 and item.closed_on is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="rectify").values_list("action", flat=True)
    )
    for a in (
        "rectify.raise",
        "rectify.start",
        "rectify.note",
        "rectify.attach",
        "rectify.submit",
        "rectify.close",
        "rectify.reopen",
    ):
        assert a in actions
    assert Note.objects.filter(item=item, action="reopen").exists()


def test_send_back_needs_a_reason(cast):
    item = raise_one(cast)
    services.submit(actor=cast.secretary, item=item, evidence="已整改")
    with pytest.raises(ValidationError):
        services.send_back(actor=cast.district_admin, item=item, reason="")
    item = services.send_back(actor=cast.district_admin, item=item, reason="佐证不足")
    assert item.status == rules.IN_PROGRESS and item.sent_back_reason == "佐证不足"


def test_review_months_are_configured_by_the_district(cast):
    cast.district.settings = {"rectify_review_months": 6}
    cast.district.save()
    item = raise_one(cast)
    services.submit(actor=cast.secretary, item=item, evidence="已整改")
    with frozen(dt.date(2026, 5, 10)):
        item = services.close(actor=cast.district_admin, item=item)
    assert item.review_due == dt.date(2026, 11, 10)


def test_a_bad_evidence_file_writes_nothing(cast):
    item = raise_one(cast)
    with pytest.raises(ValidationError) as exc:
        services.submit(
            actor=cast.secretary,
            item=item,
            evidence="",
            uploads=[SimpleUploadedFile("x.png", b"not a png", content_type="image/png")],
        )
    assert "upload_content_mismatch" in _codes(exc)
    item.refresh_from_db()
    assert item.status == rules.OPEN and not item.files.exists()
