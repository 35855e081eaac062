"""Pages of 组织关系 (fixed query counts), the member's request, the letter, reminders and the demo."""

import datetime as dt
import io

from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.membership import reminders, services
from zhibu.membership.models import TransferCase, TransferRequest
from zhibu.membership.tests.helpers import DAY, make_all
from zhibu.orgs.testing import PersonFactory


def test_branch_and_district_pages_fixed_queries(cast, client_for, django_assert_max_num_queries):
    make_all(cast)
    sec, admin = client_for("secretary"), client_for("district_admin")
    with clock.frozen(DAY):
        with django_assert_max_num_queries(16):
            page = sec.get(reverse("membership:index", args=[cast.branch.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        for part in ("转接甲", "待上级审批", "转出乙", "〔2026〕第1号", "失联丁", "已满6个月", "接转历史"):
            assert part in text
        with django_assert_max_num_queries(14):
            page = admin.get(reverse("membership:district", args=[cast.district.pk]))
        assert page.status_code == 200 and "转接甲" in page.content.decode()
        for i in range(4):  # more rows, same queries
            p = PersonFactory(branch=cast.branch, name=f"加{i}")
            services.start_case(
                actor=cast.secretary,
                branch=cast.branch,
                person=p,
                kind="out",
                to_org="外区",
                dues_paid_to=dt.date(2026, 3, 1),
                reason="调动",
            )
        with django_assert_max_num_queries(16):
            assert sec.get(reverse("membership:index", args=[cast.branch.pk])).status_code == 200
        with django_assert_max_num_queries(14):
            assert admin.get(reverse("membership:district", args=[cast.district.pk])).status_code == 200


def test_manager_starts_a_within_transfer_from_the_form(cast, client_for):
    sec = client_for("secretary")
    url = reverse("membership:case_new", args=[cast.branch.pk])
    with clock.frozen(DAY):
        refused = sec.post(
            url, {"person": cast.member_person.pk, "kind": "within", "reason": "", "dues_paid_to": "2026-02-01"}
        )
        assert refused.status_code == 400 and not TransferCase.objects.exists()
        done = sec.post(
            url,
            {
                "person": cast.member_person.pk,
                "kind": "within",
                "to_branch": cast.other_branch.pk,
                "reason": "工作调动",
                "dues_paid_to": "2026-02-01",
            },
        )
    case = TransferCase.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("membership:case", args=[cast.branch.pk, case.pk])
    with clock.frozen(DAY):
        page = sec.get(done["Location"])
    assert "已于 2026-03-10 报上级党委" in page.content.decode()


def test_member_asks_from_their_page_and_managers_see_it(cast, client_for):
    member = client_for("member")
    with clock.frozen(DAY):
        own = member.get(reverse("membership:person", args=[cast.branch.pk, cast.member_person.pk]))
        assert "申请组织关系转接" in own.content.decode()
        assert member.get(reverse("membership:index", args=[cast.branch.pk])).status_code == 403
        r = member.post(reverse("membership:ask", args=[cast.branch.pk]), {"destination": "育才小学", "reason": "调动"})
        assert r.status_code == 302
        other = cast.people[4]
        assert member.get(reverse("membership:person", args=[cast.branch.pk, other.pk])).status_code == 403
        page = client_for("secretary").get(reverse("membership:index", args=[cast.branch.pk])).content.decode()
    assert TransferRequest.objects.get().person_id == cast.member_person.pk
    assert "申请转往育才小学" in page


def test_letter_download_and_receipt(cast, client_for):
    o = make_all(cast)
    sec = client_for("secretary")
    r = sec.get(reverse("membership:letter", args=[cast.branch.pk, o["out"].pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sec.get(reverse("membership:letter", args=[cast.branch.pk, o["pending"].pk])).status_code == 403
    with clock.frozen(DAY + dt.timedelta(days=3)):
        sec.post(reverse("membership:receipt", args=[cast.branch.pk, o["out"].pk]), {"on": "2026-03-12"})
    o["out"].refresh_from_db()
    assert o["out"].receipt_on == dt.date(2026, 3, 12)


def test_reminders_for_overdue_receipts_and_lost_members(cast):
    o = make_all(cast)
    keys = {r.key: r for r in reminders.collect(DAY + dt.timedelta(days=31))}
    assert f"membership:receipt:case={o['out'].pk}" in keys
    assert cast.secretary in keys[f"membership:receipt:case={o['out'].pk}"].users
    lost = [k for k in keys if k.startswith("membership:lost:")]
    assert len(lost) == 1 and "失联满6个月" in keys[lost[0]].title
    assert not [k for k in {r.key for r in reminders.collect(DAY)} if k.startswith("membership:receipt")]


def test_the_demo_builds_its_rows(db):
    from django.db import transaction

    from zhibu.membership import demo
    from zhibu.membership.models import Merit, StatusEvent
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(dt.date(2026, 11, 20)):
        ctx = orgs_demo.generate(branches=6, members=12, year=2026, seed=3, progress=io.StringIO())
        with transaction.atomic():
            demo.generate(ctx)
    states = set(TransferCase.objects.values_list("kind", "state"))
    assert {("within", "done"), ("within", "pending"), ("out", "issued"), ("out", "done")} <= states
    assert StatusEvent.objects.filter(kind="lost").exists() and Merit.objects.filter(kind="penalty").exists()
    assert AuditEntry.objects.filter(action__startswith="membership.").count() == 0
    numbers = list(TransferCase.objects.exclude(letter_seq=None).values_list("letter_year", "letter_seq"))
    assert len(numbers) == len(set(numbers))


def test_home_panels(cast, rf):
    from zhibu.membership import panels

    make_all(cast)
    request = rf.get("/")
    request.user = cast.secretary
    with clock.frozen(DAY + dt.timedelta(days=31)):
        html = panels.branch_panel(request, cast.branch)
        assert "办理中的转接：3" in html and "已过有效期" in html and "转接申请：1" in html
        request.user = cast.district_admin
        assert "组织关系" in panels.district_panel(request, cast.district)
        request.user = cast.member
        assert panels.branch_panel(request, cast.branch) is None


def test_a_letter_from_outside_the_district_gets_its_receipt_dated_by_the_day_received(cast, client_for):
    import datetime as dt
    import io

    import docx
    from django.urls import reverse

    from zhibu.core import clock
    from zhibu.orgs.models import Transfer

    came = Transfer.objects.create(
        person=cast.people[4],
        branch=cast.branch,
        direction="in",
        date=dt.date(2026, 2, 10),
        other_org="外区实验幼儿园党支部",
        letter_number="〔2026〕第3号",
        dues_paid_to=dt.date(2026, 1, 1),
    )
    went = Transfer.objects.create(
        person=cast.people[5],
        branch=cast.branch,
        direction="out",
        date=dt.date(2026, 2, 11),
        other_org="外区某校党支部",
    )
    secretary = client_for("secretary")
    with clock.frozen(dt.date(2026, 3, 1)):
        page = secretary.get(reverse("membership:index", args=[cast.branch.pk])).content.decode()
        assert (
            "外区实验幼儿园党支部" in page
            and reverse("membership:incoming_receipt", args=[cast.branch.pk, came.pk]) in page
        )
        r = secretary.get(reverse("membership:incoming_receipt", args=[cast.branch.pk, came.pk]))
    assert r.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "外区实验幼儿园党支部：" in text and "〔2026〕第3号介绍信收悉" in text and "钱党员" in text
    assert "2026年2月10日" in text and "党费已交到2026年1月" in text
    assert secretary.get(reverse("membership:incoming_receipt", args=[cast.branch.pk, went.pk])).status_code == 404
    assert (
        client_for("member").get(reverse("membership:incoming_receipt", args=[cast.branch.pk, came.pk])).status_code
        == 403
    )
    assert client_for("outsider").get(
        reverse("membership:incoming_receipt", args=[cast.branch.pk, came.pk])
    ).status_code in (403, 404)
