import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core.models import AuditEntry
from zhibu.orglife.rules import DEFAULT_OBLIGATIONS
from zhibu.orgs.models import Transfer
from zhibu.plans import parser, selectors, services
from zhibu.plans.models import ItemStatus, Plan, PlanItem, mask_of

pytestmark = pytest.mark.django_db


def test_create_empty_plan_is_audited_and_unique(cast):
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    assert plan.title == "阳光幼儿园党支部2026年工作计划"
    assert plan.items.count() == 0 and len(plan.ical_token) >= 24
    entry = AuditEntry.objects.get(object_type="plans.Plan", object_id=str(plan.pk))
    assert entry.action == "create" and entry.organisation_id == cast.branch.pk
    assert "ical_token" not in entry.changes  # the secret never goes into the log
    with pytest.raises(ValidationError):
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    # halves are separate plans
    services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, half="second")
    with pytest.raises(ValidationError):
        services.create_plan(actor=cast.secretary, branch=cast.district, year=2026)
    with pytest.raises(ValidationError):
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=1999)


def test_db_constraints(cast):
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(branch=cast.branch, year=2026, half="full", title="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.create(plan=plan, months=[13], text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.create(plan=plan, months=[], text="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.create(plan=plan, months=[3], text="x", status=ItemStatus.MOVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.create(plan=plan, months=[3], text="x", status="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.create(plan=plan, months=[3], text="x", object_id=5)
    item = PlanItem.objects.create(plan=plan, months=[8, 7, 7], text="x")
    assert item.months == [7, 8] and item.month_mask == mask_of([7, 8])


def test_create_from_parsed_plan06(plan06, cast):
    items = list(plan06.items.order_by("order"))
    assert plan06.year == 2022 and plan06.title.startswith("【篇六】幼儿园党建工作计划")
    assert len(items) == 36
    summer = [i for i in items if i.months == [7, 8]]
    assert [i.text for i in summer] == ["开展党的群众路线教育实践活动", "党建工作小结", "布置党员暑期自学内容"]
    headings = [s["heading"] for s in plan06.sections if s["level"]]
    assert headings[:3] == ["指导思想", "工作目标", "工作要点"]
    first = next(s for s in plan06.sections if s["heading"] == "指导思想")
    assert first["body"] and first["body"][0].startswith("以学习贯彻党的十八届四中全会精神为动力")
    last = plan06.sections[-1]
    assert last["heading"].startswith("加强对群团组织的领导")
    assert not any("行事历" in p or p.startswith("一月份") for p in last["body"])
    assert AuditEntry.objects.filter(action="import", object_id=str(plan06.pk)).exists()


def test_create_from_parsed_rejects_bad_items_atomically(cast):
    with pytest.raises(ValidationError):
        services.create_from_parsed(actor=cast.secretary, branch=cast.branch, year=2026, half="full", title="t",
                                    source_text="", sections=[],
                                    items=[{"months": [3], "text": "好"}, {"months": [13], "text": "坏"}])
    assert not Plan.objects.exists()
    with pytest.raises(ValidationError):
        services.create_from_parsed(actor=cast.secretary, branch=cast.branch, year=2026, half="full", title="t",
                                    source_text="", sections=[], items=[{"months": [3], "text": "x", "kinds": ["nope"]}])


def test_copy_last_year(plan06, cast):
    item = plan06.items.order_by("order").first()
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.DONE, owner=cast.people[3])
    gone = plan06.items.order_by("order")[1]
    services.update_item(actor=cast.secretary, item=gone, owner=cast.people[4])
    cast.people[4].active = False
    cast.people[4].save()
    copy = services.copy_plan(actor=cast.secretary, source=plan06, year=2023)
    assert copy.title == plan06.title.replace("2022", "2023")
    assert copy.sections == plan06.sections and copy.ical_token != plan06.ical_token
    old = list(plan06.items.order_by("order").values_list("months", "text", "kinds"))
    new = list(copy.items.order_by("order").values_list("months", "text", "kinds"))
    assert new == old
    assert set(copy.items.values_list("status", flat=True)) == {ItemStatus.PLANNED}
    first, second = copy.items.order_by("order")[:2]
    assert first.owner == cast.people[3] and second.owner is None  # transferred-out owner not kept
    assert AuditEntry.objects.filter(action="copy", object_id=str(copy.pk)).exists()
    with pytest.raises(ValidationError):
        services.copy_plan(actor=cast.secretary, source=plan06, year=2023)


def test_update_item_status_owner_kinds_months(plan06, cast):
    item = plan06.items.get(text="组织发展")
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.MOVED, moved_to_month=12)
    item.refresh_from_db()
    assert item.status == "moved" and item.moved_to_month == 12 and item.effective_months == [12]
    assert item.month_mask == mask_of([12])
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.DONE)
    item.refresh_from_db()
    assert item.moved_to_month is None and item.month_mask == mask_of([11])
    services.update_item(actor=cast.secretary, item=item, kinds=["study", "development", "development"], months=[11, 10])
    item.refresh_from_db()
    assert item.kinds == ["development", "study"] and item.months == [10, 11]
    with pytest.raises(ValidationError):
        services.update_item(actor=cast.secretary, item=item, status=ItemStatus.MOVED)
    with pytest.raises(ValidationError):
        services.update_item(actor=cast.secretary, item=item, status=ItemStatus.MOVED, moved_to_month=13)
    with pytest.raises(ValidationError):
        services.update_item(actor=cast.secretary, item=item, owner=cast.outsider_person)
    with pytest.raises(ValidationError):
        services.update_item(actor=cast.secretary, item=item, kinds=["bogus"])
    with pytest.raises(ValidationError):
        services.update_item(actor=cast.secretary, item=item, months=[])
    services.update_item(actor=cast.secretary, item=item, owner=cast.people[1])
    item.refresh_from_db()
    assert item.owner == cast.people[1]
    actions = list(AuditEntry.objects.filter(object_type="plans.PlanItem", object_id=str(item.pk)).values_list("action", flat=True))
    assert actions.count("update") == 4


def test_plan_check_and_add_missing_items(plan06, cast):
    items = list(plan06.items.all())
    gaps = {g.kind: g for g in selectors.plan_gaps(plan06, items, DEFAULT_OBLIGATIONS)}
    assert gaps["committee_meeting"].missing_months == list(range(1, 13))
    assert gaps["party_congress"].missing_months == list(range(4, 13))
    assert "member_evaluation" not in gaps
    created = services.add_missing_items(actor=cast.secretary, plan=plan06, kind="party_congress")
    assert sorted(i.months for i in created) == [[6], [9], [12]]  # the last month of each unmet quarter
    assert all(i.kinds == ["party_congress"] and i.text == "召开党员大会" for i in created)
    assert parser.classify("召开党员大会") == ["party_congress"]
    created = services.add_missing_items(actor=cast.secretary, plan=plan06)
    assert len([i for i in created if i.kinds == ["committee_meeting"]]) == 12
    assert selectors.plan_gaps(plan06, list(plan06.items.all())) == []
    assert services.add_missing_items(actor=cast.secretary, plan=plan06) == []
    assert AuditEntry.objects.filter(action="add_missing_items", object_id=str(plan06.pk)).count() == 2


def test_check_of_a_half_year_plan_and_cancelled_items(cast):
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, half="second")
    gaps = {g.kind: g for g in selectors.plan_gaps(plan, [])}
    assert gaps["theme_day"].missing_months == list(range(7, 13))
    item = services.add_item(actor=cast.secretary, plan=plan, months=[12], text="召开组织生活会")
    assert "org_life_meeting" not in {g.kind for g in selectors.plan_gaps(plan, [item])}
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.CANCELLED)
    item.refresh_from_db()
    assert "org_life_meeting" in {g.kind for g in selectors.plan_gaps(plan, [item])}


def test_add_item_classifies(cast):
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    item = services.add_item(actor=cast.secretary, plan=plan, months=[5], text="  开展主题党日活动  ")
    assert item.text == "开展主题党日活动" and item.kinds == ["theme_day"] and item.order == 0
    second = services.add_item(actor=cast.secretary, plan=plan, months=[5], text="其它", kinds=[])
    assert second.kinds == [] and second.order == 1


def test_link_record(plan06, cast):
    import datetime as dt

    item = plan06.items.get(text="接转党员组织关系")
    mine = Transfer.objects.create(person=cast.people[5], branch=cast.branch, direction="in", date=dt.date(2022, 9, 5),
                                   other_org="某党支部")
    other = Transfer.objects.create(person=cast.outsider_person, branch=cast.other_branch, direction="in",
                                    date=dt.date(2022, 9, 5), other_org="某党支部")
    with pytest.raises(ValidationError):
        services.link_record(actor=cast.secretary, item=item, record=other)
    services.link_record(actor=cast.secretary, item=item, record=mine)
    item = PlanItem.objects.get(pk=item.pk)
    assert item.fulfilled_by == mine and item.status == ItemStatus.DONE
    services.link_record(actor=cast.secretary, item=item, record=None)
    item.refresh_from_db()
    assert item.content_type_id is None and item.object_id is None
    assert AuditEntry.objects.filter(action="link_record", object_id=str(item.pk)).exists()


def test_regenerate_token(plan06, cast):
    old = plan06.ical_token
    services.regenerate_token(actor=cast.secretary, plan=plan06)
    plan06.refresh_from_db()
    assert plan06.ical_token != old
    entry = AuditEntry.objects.get(action="regenerate_ical_token")
    assert old not in str(entry.changes) and plan06.ical_token not in str(entry.changes)


def test_month_items_panel_query(plan06, cast, django_assert_num_queries):
    item = plan06.items.get(text="组织发展")
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.MOVED, moved_to_month=7)
    cancelled = plan06.items.get(text="党建工作小结")
    services.update_item(actor=cast.secretary, item=cancelled, status=ItemStatus.CANCELLED)
    with django_assert_num_queries(1):
        july = selectors.month_items(cast.branch, 2022, 7)
    assert [i.text for i in july] == ["开展党的群众路线教育实践活动", "布置党员暑期自学内容", "组织发展"]
    assert "组织发展" not in [i.text for i in selectors.month_items(cast.branch, 2022, 11)]


def test_a_meeting_whose_date_has_not_come_cannot_fulfil_an_item(cast):
    import datetime as dt

    import pytest
    from django.core.exceptions import ValidationError

    from zhibu.core import clock
    from zhibu.orglife import services as orglife_services
    from zhibu.plans import services

    today = clock.today()
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=today.year)
    item = services.add_item(actor=cast.secretary, plan=plan, months=[today.month], text="召开支委会")
    future = dt.datetime.combine(today + dt.timedelta(days=3), dt.time(15), tzinfo=clock.TZ)
    meeting = orglife_services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="committee_meeting",
                                              starts_at=future, ends_at=future + dt.timedelta(hours=1), topic="下周的会")
    with pytest.raises(ValidationError) as exc:
        services.link_record(actor=cast.secretary, item=item, record=meeting)
    assert exc.value.error_list[0].code == "record_not_held"
