import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.openness import selectors, services
from zhibu.openness.models import CatalogEntry, Category, Notice
from zhibu.openness.tests.helpers import propose, published


def test_each_step_of_the_procedure_is_audited_and_the_secrecy_check_is_required(cast):
    n = propose(cast)
    with pytest.raises(ValidationError) as exc:
        services.review(actor=cast.committee, notice=n, secrecy_checked=False)
    assert exc.value.code == "no_secrecy_check"
    with pytest.raises(ValidationError):
        services.approve(actor=cast.secretary, notice=n)  # not reviewed yet
    services.review(actor=cast.committee, notice=n, secrecy_checked=True)
    services.approve(actor=cast.secretary, notice=n)
    with pytest.raises(ValidationError) as exc:
        services.publish(actor=cast.secretary, notice=n, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 1))
    assert exc.value.code == "period_reversed"
    services.publish(actor=cast.secretary, notice=n, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 15))
    n.refresh_from_db()
    assert n.status == "published" and n.secrecy_checked and n.reviewed_by == cast.committee
    actions = list(
        AuditEntry.objects.filter(object_type="openness.Notice").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["openness.propose", "openness.review", "openness.approve", "openness.publish"]


def test_a_returned_notice_is_changed_and_goes_back_to_review(cast):
    n = propose(cast)
    services.review(actor=cast.committee, notice=n, secrecy_checked=True)
    services.send_back(actor=cast.secretary, notice=n, reason="金额需核对")
    n.refresh_from_db()
    assert n.status == "returned" and not n.secrecy_checked
    services.edit(actor=cast.committee, notice=n, data={"title": "保育教育费收费标准公示（更正）"})
    n.refresh_from_db()
    assert n.status == "proposed" and n.title.endswith("（更正）")


def test_category_must_match_the_channel(cast):
    with pytest.raises(ValidationError) as exc:
        propose(cast, channel="party")
    assert exc.value.code == "category_channel"


def test_board_and_archive_by_period_and_scope(cast):
    with clock.frozen(dt.date(2026, 3, 20)):
        on = published(cast, dt.date(2026, 3, 10), dt.date(2026, 3, 30), scope="members")
        old = published(cast, dt.date(2026, 1, 10), dt.date(2026, 1, 30), scope="public")
        today = clock.today()
    assert [n.pk for n in selectors.board(cast.branch, today, ("public",))] == []
    assert [n.pk for n in selectors.board(cast.branch, today, ("members", "staff", "public"))] == [on.pk]
    assert [n.pk for n in selectors.archive(cast.branch, today, ("public",), 2026)] == [old.pk]


def _dues_setup(cast):
    from zhibu.dues import services as dues
    from zhibu.dues.models import DuesBase

    for person in cast.people[:3]:
        DuesBase.objects.create(
            person=person, effective_month=dt.date(2025, 1, 1), category="in_service", base=Decimal("4500")
        )
    with clock.frozen(dt.date(2025, 6, 10)):
        dues.record_payments(
            actor=cast.secretary,
            branch=cast.branch,
            month=dt.date(2025, 3, 1),
            paid_on=dt.date(2025, 3, 5),
            rows=[dues.SheetRow(cast.people[0], Decimal("45.00"))],
        )


def test_the_yearly_dues_publication_has_the_dues_pages_sums(cast):
    from zhibu.dues import selectors as dues

    _dues_setup(cast)
    with clock.frozen(dt.date(2026, 1, 15)):
        services.load_default_catalog(actor=cast.district_admin, district=cast.district)
        n = services.dues_draft(actor=cast.secretary, branch=cast.branch, year=2025)
        months = dues.year_collection(cast.branch, 2025, 12)
        with pytest.raises(ValidationError) as exc:
            services.dues_draft(actor=cast.secretary, branch=cast.branch, year=2025)
        assert exc.value.code == "already_generated"
    due = sum((m.due_total for m in months), Decimal("0"))
    collected = sum((m.collected for m in months), Decimal("0"))
    assert collected == Decimal("45.00") and due > collected
    assert n.status == "proposed" and n.scope == "members" and n.generated == "dues:2025"
    assert f"全年应收党费{due:.2f}元，实收{collected:.2f}元" in n.body
    for m in months:
        assert f"{m.month.month}月：应收{m.due_total:.2f}元，实收{m.collected:.2f}元" in n.body
    assert n.catalog_entry is not None and n.catalog_entry.category.code == "dues"


def test_the_catalog_drives_obligations_due_and_overdue(cast):
    entry = services.add_catalog_entry(
        actor=cast.district_admin,
        district=cast.district,
        category=Category.objects.get(code="fees"),
        title="收费公示",
        frequency="quarterly",
    )
    with pytest.raises(ValidationError):
        services.add_catalog_entry(
            actor=cast.district_admin,
            district=cast.branch,
            category=Category.objects.get(code="fees"),
            title="x",
            frequency="yearly",
        )
    with clock.frozen(dt.date(2026, 2, 10)):
        published(cast, dt.date(2026, 2, 1), dt.date(2026, 2, 20), catalog_entry=entry)
    lines = selectors.branch_obligations(cast.branch, 2026, dt.date(2026, 8, 1))
    states = [p.state for p in lines[0].periods]
    assert states == ["done", "overdue", "due", "future"]
    view = selectors.district_view(cast.district, 2026, dt.date(2026, 8, 1))
    rows = {r.id: r for r in view.rows}
    assert rows[cast.branch.pk].overdue == 1 and rows[cast.other_branch.pk].overdue == 2
    assert view.rows[0].id == cast.other_branch.pk  # overdue first
    services.retire_catalog_entry(actor=cast.district_admin, entry=entry)
    assert not CatalogEntry.objects.filter(active=True).exists()


def test_a_forum_records_non_member_participants_and_items_become_rectify_items(cast):
    from zhibu.rectify.models import Item

    with clock.frozen(dt.date(2026, 3, 1)):
        _forum_steps(cast, Item)


def _forum_steps(cast, Item):
    forum = services.create_forum(
        actor=cast.secretary, branch=cast.branch, held_on=dt.date(2026, 2, 20), topic="家园共育恳谈会"
    )
    services.add_participant(actor=cast.secretary, forum=forum, name="王家长", identity="家长代表")
    services.add_participant(actor=cast.secretary, forum=forum, name="", identity="党员", person=cast.member_person)
    with pytest.raises(ValidationError):
        services.add_participant(actor=cast.secretary, forum=forum, name="王家长", identity="家长代表")
    item = services.add_item(actor=cast.secretary, forum=forum, text="建议延长午休时间")
    pk = services.forum_item_to_rectify(actor=cast.secretary, item=item, responsible=None, deadline=dt.date(2026, 4, 1))
    assert Item.objects.get(pk=pk).source.code == "mailbox"
    with pytest.raises(ValidationError):
        services.forum_item_to_rectify(actor=cast.secretary, item=item, responsible=None, deadline=dt.date(2026, 4, 1))
    assert Notice.objects.count() == 0
