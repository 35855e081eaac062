"""The pages and hooks of 报批审批: the district inbox (one list across every branch below, oldest first,
overdue marked, filters, bulk approval, query count pinned and not growing with branches), the branch
page, the home panels, the reminders, the demo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from zhibu.approvals import panels, reminders, selectors
from zhibu.approvals.models import Approval, ApprovalEvent, State
from zhibu.approvals.tests.helpers import TEST_KIND, TODAY, submit
from zhibu.core import clock
from zhibu.orgs.models import OrgKind, Person
from zhibu.orgs.testing import make_org

pytestmark = pytest.mark.django_db


def _requests(cast, n_branches: int, start=TODAY):
    """One pending request in each of n new branches under the district (direct rows: the page is read)."""
    ct = ContentType.objects.get_for_model(Person)
    rows = []
    for i in range(n_branches):
        b = make_org(f"测试{i}党支部", OrgKind.BRANCH, cast.district)
        rows.append(
            Approval(
                kind=TEST_KIND,
                branch=b,
                approver=cast.district,
                subject_type=ct,
                subject_id=i + 1000,
                title=f"事项{i}",
                submitted_on=start + dt.timedelta(days=i % 5),
                due_on=start + dt.timedelta(days=14),
            )
        )
    Approval.objects.bulk_create(rows)


@pytest.mark.parametrize("n", [2, 40])
def test_inbox_queries_are_pinned_whatever_the_branches(cast, client_for, django_assert_max_num_queries, test_kind, n):
    _requests(cast, n)
    client = client_for("district_admin")
    url = reverse("approvals:inbox", kwargs={"org_id": cast.district.pk})
    client.get(url)
    with clock.frozen(TODAY + dt.timedelta(days=20)), django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert html.count('name="ids"') == n and html.count("超期</span>") == n


def test_inbox_is_oldest_first_with_filters(cast, client_for, test_kind):
    late = submit(cast, on=TODAY, title="后报的")
    early = submit(cast, subject=cast.secretary_person, on=TODAY - dt.timedelta(days=9), title="先报的")
    client = client_for("district_admin")
    url = reverse("approvals:inbox", kwargs={"org_id": cast.district.pk})
    with clock.frozen(TODAY):
        html = client.get(url).content.decode()
        assert html.index("先报的") < html.index("后报的")
        with clock.frozen(TODAY):
            from zhibu.approvals import services

            services.send_back(actor=cast.district_admin, approval=late, reason="材料不全")
        html = client.get(url + "?state=returned").content.decode()
        assert "后报的" in html and "先报的" not in html and 'name="ids"' not in html
        html = client.get(url + "?kind=nope&state=junk&page=abc").content.decode()  # junk: the default list
        assert "先报的" in html
        assert client.get(url + f"?kind={TEST_KIND}&state=all").status_code == 200
    assert early.pk


def test_bulk_approve_with_one_date_and_refusals(cast, client_for, test_kind):
    a = submit(cast, title="甲")
    b = submit(cast, subject=cast.secretary_person, title="乙")
    client = client_for("district_admin")
    url = reverse("approvals:inbox", kwargs={"org_id": cast.district.pk})
    with clock.frozen(TODAY + dt.timedelta(days=1)):
        r = client.post(url, {"ids": [a.pk, b.pk], "on": (TODAY + dt.timedelta(days=2)).isoformat()})
        assert r.status_code == 400 and "晚于今天" in r.content.decode()
        r = client.post(url, {"on": TODAY.isoformat()})
        assert r.status_code == 400 and "请先勾选" in r.content.decode()
        r = client.post(url, {"ids": [a.pk, b.pk], "on": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 302
    assert set(Approval.objects.values_list("state", flat=True)) == {State.APPROVED}
    assert set(Approval.objects.values_list("decided_on", flat=True)) == {TODAY + dt.timedelta(days=1)}
    assert len(test_kind.approved) == 2
    auditor = client_for("auditor")
    assert auditor.post(url, {"ids": [a.pk], "on": TODAY.isoformat()}).status_code == 403
    html = auditor.get(url + "?state=all").content.decode()  # reads the inbox, decides nothing
    assert "甲" in html and 'name="ids"' not in html and "批准选中事项" not in html


def test_branch_page_shows_the_reason_and_where_to_resubmit(cast, client_for, test_kind):
    a = submit(cast)
    from zhibu.approvals import services

    with clock.frozen(TODAY):
        services.send_back(actor=cast.district_admin, approval=a, reason="缺少会议记录")
    html = client_for("secretary").get(reverse("approvals:branch", kwargs={"org_id": cast.branch.pk})).content.decode()
    assert "缺少会议记录" in html and f"/o/{cast.branch.pk}/subject/" in html and "被打回 1 件" in html
    # the other branch sees nothing of it
    assert client_for("outsider").get(reverse("approvals:branch", kwargs={"org_id": cast.branch.pk})).status_code == 404
    # the district is sent to its inbox, a branch asking for the inbox to its page
    r = client_for("district_admin").get(reverse("approvals:branch", kwargs={"org_id": cast.district.pk}))
    assert r.status_code == 302 and r["Location"].endswith(f"/o/{cast.district.pk}/approvals/")
    r = client_for("secretary").get(reverse("approvals:inbox", kwargs={"org_id": cast.branch.pk}))
    assert r.status_code == 302 and "branch" in r["Location"]


def test_the_branch_withdraws_on_the_detail_page(cast, client_for, test_kind):
    a = submit(cast)
    url = reverse("approvals:detail", kwargs={"org_id": cast.branch.pk, "approval_id": a.pk})
    with clock.frozen(TODAY):
        assert client_for("member").post(url, {"action": "withdraw"}).status_code == 403
        assert client_for("secretary").post(url, {"action": "withdraw"}).status_code == 302
    assert Approval.objects.get(pk=a.pk).state == State.WITHDRAWN
    html = client_for("secretary").get(url).content.decode()
    assert "撤回" in html and "报送" in html


def test_panels(cast, rf, test_kind, django_assert_max_num_queries):
    from zhibu.approvals import services

    a = submit(cast)
    request = rf.get("/")
    request.user = cast.district_admin
    with clock.frozen(a.due_on + dt.timedelta(days=1)), django_assert_max_num_queries(3):
        html = panels.district_panel(request, cast.district)
    assert "待审批 1 件" in html and "超期 1" in html
    request.user = cast.secretary
    assert panels.branch_panel(request, cast.branch) is None
    with clock.frozen(TODAY):
        services.send_back(actor=cast.district_admin, approval=a, reason="补材料")
    with django_assert_max_num_queries(3):
        assert "被打回 1 件" in panels.branch_panel(request, cast.branch)
    assert panels.district_panel(request, cast.branch) is None


def test_reminders_overdue_to_the_district_returned_to_the_branch(cast, test_kind):
    from zhibu.approvals import services

    a = submit(cast)
    b = submit(cast, subject=cast.secretary_person, title="乙")
    assert not list(reminders.collect(TODAY))
    items = {r.key: r for r in reminders.collect(a.due_on + dt.timedelta(days=1))}
    (key,) = [k for k in items if k.startswith("approvals:overdue:")]
    assert items[key].users == (cast.district_admin,) and "2 件" in items[key].title
    with clock.frozen(TODAY):
        services.send_back(actor=cast.district_admin, approval=b, reason="补材料")
    items = {r.key: r for r in reminders.collect(TODAY)}
    (key,) = [k for k in items if k.startswith(f"approvals:returned:id={b.pk}:")]
    assert set(items[key].users) == {cast.secretary, cast.committee} and "补材料" in items[key].body


def test_the_demo_makes_requests_of_every_state(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(dt.date(2026, 11, 20)):
        ctx = orgs_demo.generate(branches=8, members=14, year=2026, seed=3, progress=io.StringIO())
    if not Approval.objects.exists():  # the orgs demo alone: run development's, which makes the requests
        from zhibu.development import demo

        with clock.frozen(dt.date(2026, 11, 20)):
            demo.generate(ctx)
    states = set(Approval.objects.values_list("state", flat=True))
    assert {State.PENDING, State.APPROVED} <= states
    assert ApprovalEvent.objects.count() >= Approval.objects.count()
    assert all(a.due_on for a in Approval.objects.all())
    assert selectors.counts_for_district(ctx.district, dt.date(2026, 11, 20))["pending"] >= 1
