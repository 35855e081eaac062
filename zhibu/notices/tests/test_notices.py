"""Notices with 签阅 (issue 19's done-when: a notice sent to 12 branches shows 签阅 per branch and
reminds the unread, once a day), guides and the obligations grid, tasks (报送 → 退回 → 通过, derived
answers confirmed, derivable figures refused), the panels, reminders and the demo."""

import datetime as dt
import random

import pytest
from django.urls import reverse

from zhibu.core import clock, notify
from zhibu.core.models import AuditEntry
from zhibu.notices import obligations, panels, reminders, rules, selectors, services
from zhibu.notices.models import Answer, AnswerState, Guide, Notice, Recipient, RecipientKind, Task
from zhibu.notices.tests.helpers import pdf
from zhibu.orgs.models import OrgKind, Role, RoleKind
from zhibu.orgs.testing import PersonFactory, UserFactory, make_org

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def outbox(settings):
    settings.ZHIBU_NOTIFY_BACKENDS = ["zhibu.core.notify.InAppBackend", "zhibu.core.notify.RecordingBackend"]
    notify.outbox.clear()
    yield notify.outbox
    notify.outbox.clear()


def _branches(cast, n: int) -> list:
    """The cast's two branches and n more, each with a secretary account."""
    out = [cast.branch, cast.other_branch]
    Role.objects.create(user=UserFactory(username="yucai_sec"), organisation=cast.other_branch, role=RoleKind.SECRETARY)
    for i in range(n):
        b = make_org(f"第{i + 1}幼儿园党支部", OrgKind.BRANCH, cast.district)
        person = PersonFactory(branch=b, name=f"书记{i + 1}")
        user = UserFactory(username=f"sec{i}")
        Role.objects.create(user=user, organisation=b, role=RoleKind.SECRETARY)
        person.user = user
        person.save(update_fields=["user"])
        out.append(b)
    return out


def _send(c, cast, **extra):
    data = {"title": "关于开展学习的通知", "body": "请各支部组织学习。", "sign_by": "2026-03-09", "to_all": "on"}
    data.update(extra)
    return c.post(reverse("notices:notice_new", args=[cast.district.pk]), data)


def test_a_notice_sent_to_12_branches_shows_signing_per_branch_and_reminds_the_unread_once(cast, client_for, outbox):
    branches = _branches(cast, 10)
    admin = client_for("district_admin")
    response = _send(admin, cast, attachments=pdf())
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/district/n/{notice.pk}/")
    assert Recipient.objects.filter(notice=notice, kind=RecipientKind.BRANCH).count() == 12
    assert len(outbox) == 12  # each branch's managers were told (the cast's branch: 书记 and 支委 in one message)
    outbox.clear()
    # The cast's branch signs through its page; two others sign through the service.
    sec = client_for("secretary")
    page = sec.get(reverse("notices:notice", args=[cast.branch.pk, notice.pk]))
    assert page.status_code == 200 and "已阅" in page.content.decode() and "通知附件.pdf" in page.content.decode()
    row = Recipient.objects.get(notice=notice, branch=cast.branch)
    sec.post(reverse("notices:read", args=[cast.branch.pk, row.pk]))
    for b in branches[2:4]:
        r = Recipient.objects.get(notice=notice, branch=b)
        services.mark_read(actor=Role.objects.get(organisation=b).user, recipient=r)
    view = admin.get(reverse("notices:sent", args=[cast.district.pk, notice.pk]))
    html = view.content.decode()
    assert view.status_code == 200 and "已签阅 3/12" in html
    assert html.count('class="read"') == 3 and html.count('class="unread"') == 9
    assert "王书记" in html or "secretary" in html  # who signed
    # One click reminds the managers of the 9 unread branches, through the notification interface.
    remind = reverse("notices:remind", args=[cast.district.pk, notice.pk])
    admin.post(remind)
    assert len(outbox) == 9
    reminded = {s.message.organisation.pk for s in outbox}
    assert reminded == {cast.district.pk}
    assert all(s.message.title.startswith("请签阅通知") for s in outbox)
    assert {"sec9", "yucai_sec"} <= {u.username for s in outbox for u in s.users}
    assert not any(u.username == "secretary" for s in outbox for u in s.users)  # signed: not reminded
    # A second click the same day sends nothing; the next day it may remind again.
    second = admin.post(remind, follow=True)
    assert len(outbox) == 9 and "今天已经提醒过" in second.content.decode()
    with clock.frozen(TODAY + dt.timedelta(days=1)):
        admin.post(remind)
    assert len(outbox) == 18
    assert AuditEntry.objects.filter(action="notices.remind").count() == 2


def test_district_pages_query_counts_do_not_grow_with_branches(cast, client_for, django_assert_max_num_queries):
    def counts():
        notice = Notice.objects.order_by("-id").first()
        admin = client_for("district_admin")
        out = []
        for url in (
            reverse("notices:sent", args=[cast.district.pk, notice.pk]),
            reverse("notices:district", args=[cast.district.pk]),
        ):
            with django_assert_max_num_queries(20) as ctx:
                assert admin.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    _branches(cast, 4)
    services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="甲",
        body="正文",
        branches=list(selectors.branches_below(cast.district)),
    )
    small = counts()
    _branches_more = [make_org(f"新支部{i}", OrgKind.BRANCH, cast.district) for i in range(20)]
    services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="乙",
        body="正文",
        branches=list(selectors.branches_below(cast.district)),
    )
    Recipient.objects.filter(kind=RecipientKind.BRANCH).update(forwarded_at=clock.now())
    assert counts() == small


def test_signing_is_one_click_idempotent_and_timestamped(cast, client_for):
    notice = services.send_notice(
        actor=cast.district_admin, sender=cast.district, title="通知", body="正文", branches=[cast.branch]
    )
    row = Recipient.objects.get(notice=notice)
    url = reverse("notices:read", args=[cast.branch.pk, row.pk])
    sec = client_for("secretary")
    sec.post(url)
    first = Recipient.objects.get(pk=row.pk).read_at
    assert first is not None
    again = sec.post(url, follow=True)
    assert "此前已签阅" in again.content.decode()
    assert Recipient.objects.get(pk=row.pk).read_at == first
    assert AuditEntry.objects.filter(action="notices.read").count() == 1
    # A member may not sign for the branch; an auditor neither.
    assert client_for("member").post(url).status_code == 403
    assert client_for("auditor").post(url).status_code == 403


def test_a_branch_forwards_to_its_members_and_their_reads_are_tracked(cast, client_for, outbox):
    notice = services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="转发测试",
        body="正文",
        branches=[cast.branch, cast.other_branch],
    )
    row = Recipient.objects.get(notice=notice, branch=cast.branch)
    sec = client_for("secretary")
    sec.post(reverse("notices:forward", args=[cast.branch.pk, row.pk]))
    members = Recipient.objects.filter(notice=notice, kind=RecipientKind.FORWARDED)
    assert members.count() == 9  # 8 full members and 郑预备
    assert {s.message.title for s in outbox} >= {"支部转发通知：转发测试"}
    # The member sees it in their inbox and signs it.
    member = client_for("member")
    inbox = member.get(reverse("notices:index", args=[cast.branch.pk])).content.decode()
    assert "转发测试" in inbox and "支部转发" in inbox
    mine = members.get(person=cast.member_person)
    member.post(reverse("notices:read", args=[cast.branch.pk, mine.pk]))
    view = selectors.notice_view(notice)
    ours = next(b for b in view.branches if b.recipient.branch_id == cast.branch.pk)
    assert (ours.members, ours.members_read) == (9, 1)
    # Someone else's row is not theirs to sign; a second forward adds nobody.
    other = members.get(person=cast.committee_person)
    assert member.post(reverse("notices:read", args=[cast.branch.pk, other.pk])).status_code == 403
    again = sec.post(reverse("notices:forward", args=[cast.branch.pk, row.pk]), follow=True)
    assert "没有新增人员" in again.content.decode() and members.count() == 9


def test_a_member_sees_only_notices_addressed_or_forwarded_to_them(cast, client_for):
    to_branch = services.send_notice(
        actor=cast.district_admin, sender=cast.district, title="发给支部", body="正文", branches=[cast.branch]
    )
    services.send_notice(
        actor=cast.district_admin, sender=cast.district, title="发给个人", body="正文", people=[cast.member_person]
    )
    member = client_for("member")
    inbox = member.get(reverse("notices:index", args=[cast.branch.pk])).content.decode()
    assert "发给个人" in inbox and "发给支部" not in inbox
    assert member.get(reverse("notices:notice", args=[cast.branch.pk, to_branch.pk])).status_code == 404
    sec_inbox = client_for("secretary").get(reverse("notices:index", args=[cast.branch.pk])).content.decode()
    assert "发给支部" in sec_inbox and "发给个人" not in sec_inbox


def test_the_notice_form_refuses_bad_input_and_keeps_it(cast, client_for):
    admin = client_for("district_admin")
    bad = _send(admin, cast, sign_by="2026-02-01", title="<b>标题</b>")
    assert bad.status_code == 400 and "签阅截止日期不能早于今天" in bad.content.decode()
    assert "&lt;b&gt;标题&lt;/b&gt;" in bad.content.decode() and not Notice.objects.exists()
    none = _send(admin, cast, to_all="")
    assert none.status_code == 400 and "请选择接收的支部或人员" in none.content.decode()
    junk = _send(admin, cast, attachments=pdf("x.exe"))
    assert junk.status_code == 400 and "只能上传" in junk.content.decode() and not Notice.objects.exists()


# --- guides and the obligations grid ---------------------------------------------------------------


def test_the_months_guide_shows_on_the_branch_home_and_marks_the_obligations_grid(cast, client_for, rf):
    from zhibu.orglife.tests.helpers import meeting

    admin = client_for("district_admin")
    url = reverse("notices:guides", args=[cast.district.pk])
    r = admin.post(
        url,
        {
            "year": 2026,
            "month": 3,
            "theme": "学党章",
            "materials": "党章",
            "deadline": "2026-03-31",
            "kinds": ["theme_day", "party_lecture"],
        },
    )
    assert r.status_code == 302
    again = admin.post(url, {"year": 2026, "month": 3, "theme": "重复", "deadline": "2026-03-31"})
    assert again.status_code == 400 and "已经发布" in again.content.decode()
    request = rf.get("/")
    request.user = cast.member
    html = panels.branch_panel(request, cast.branch)
    assert "3月组织生活指南：学党章" in html and "主题党日、党课" in html
    # The grid: a 主题党日 held in March meets the guide's line; one in February does not.
    meeting(cast, kind="theme_day", day=dt.date(2026, 2, 20))
    before = dict((ob.label, dates) for ob, dates in obligations.branch_obligations(cast.branch, 2026))
    assert before == {"3月指南：主题党日": [], "3月指南：党课": []}
    with clock.frozen(dt.date(2026, 3, 20)):
        meeting(cast, kind="theme_day", day=dt.date(2026, 3, 12))
    after = dict((ob.label, dates) for ob, dates in obligations.branch_obligations(cast.branch, 2026))
    assert after["3月指南：主题党日"] == [dt.date(2026, 3, 12)] and after["3月指南：党课"] == []
    from zhibu.orglife import selectors as orglife

    with clock.frozen(dt.date(2026, 3, 20)):
        grid = orglife.branch_obligations(cast.branch, 2026, dt.date(2026, 3, 20))
    kinds = {ob.kind for ob, _cells in grid.grid}
    assert any(k.startswith("notices:") for k in kinds)
    assert obligations.branch_obligations(cast.other_district_branch or cast.branch, 2025) == []


# --- tasks ------------------------------------------------------------------------------------------


def test_the_district_cannot_ask_for_a_figure_the_app_computes(cast, client_for):
    admin = client_for("district_admin")
    url = reverse("notices:task_new", args=[cast.district.pk])
    data = {"kind": "material", "title": "请报送本支部党员人数", "body": "", "year": 2026, "due_on": "2026-03-20"}
    refused = admin.post(url, data)
    html = refused.content.decode()
    assert refused.status_code == 400 and "可由系统根据支部已有记录算出" in html and "党员人数（由花名册生成" in html
    assert not Task.objects.exists()
    hours = admin.post(url, {**data, "title": "学习情况", "body": "请填写全年学时"})
    assert hours.status_code == 400 and "学习时长（由学习记录生成" in hours.content.decode()
    ok = admin.post(url, {**data, "kind": "member_count"})
    assert ok.status_code == 302 and Task.objects.get().answers.count() == 2
    with pytest.raises(rules.RuleError):
        rules.check_question("material", "党费收缴情况", "")


def test_a_derived_task_is_filled_from_the_records_and_only_confirmed(cast, client_for):
    task = services.create_task(
        actor=cast.district_admin,
        district=cast.district,
        kind=rules.MEMBER_COUNT,
        title="党员人数核对",
        body="",
        year=2026,
        due_on=dt.date(2026, 3, 20),
    )
    sec = client_for("secretary")
    url = reverse("notices:answer", args=[cast.branch.pk, task.pk])
    page = sec.get(url).content.decode()
    assert "正式党员8名，预备党员1名" in page and "确认报送" in page
    sec.post(url)
    a = Answer.objects.get(task=task, branch=cast.branch)
    assert a.state == AnswerState.CONFIRMED and "正式党员8名" in a.text
    assert sec.post(url).status_code == 400  # confirmed once
    rows = selectors.tasks_of(cast.district)
    assert (rows[0].n_done, rows[0].n_total, rows[0].rate) == (1, 2, 50)
    for kind in rules.DERIVED_KINDS:  # every derived kind answers from the records
        assert selectors.derived_answer(kind, cast.branch, 2026, TODAY)


def test_a_material_task_is_submitted_returned_resubmitted_and_approved(cast, client_for, outbox):
    task = services.create_task(
        actor=cast.district_admin,
        district=cast.district,
        kind=rules.MATERIAL,
        title="特色做法",
        body="请报送",
        year=2026,
        due_on=dt.date(2026, 3, 20),
    )
    sec, admin = client_for("secretary"), client_for("district_admin")
    url = reverse("notices:answer", args=[cast.branch.pk, task.pk])
    empty = sec.post(url, {"text": ""})
    assert empty.status_code == 400 and "请填写报送内容或上传文件" in empty.content.decode()
    sec.post(url, {"text": "我们的做法", "upload": pdf("做法.pdf")})
    a = Answer.objects.get(task=task, branch=cast.branch)
    assert a.state == AnswerState.SUBMITTED and a.file.name == "做法.pdf"
    decide = reverse("notices:decide", args=[cast.district.pk, a.pk])
    no_reason = admin.post(decide, {"decision": "return", "reason": ""}, follow=True)
    assert "退回须填写理由" in no_reason.content.decode()
    admin.post(decide, {"decision": "return", "reason": "请补充成效"})
    a.refresh_from_db()
    assert a.state == AnswerState.RETURNED and a.reason == "请补充成效"
    assert any(s.message.title == "报送被退回：特色做法" for s in outbox)
    assert "请补充成效" in sec.get(url).content.decode()
    sec.post(url, {"text": "补充了成效"})
    admin.post(decide, {"decision": "approve"})
    a.refresh_from_db()
    assert a.state == AnswerState.APPROVED and a.text == "补充了成效"
    page = admin.get(reverse("notices:task", args=[cast.district.pk, task.pk])).content.decode()
    assert "完成 1/2（50%）" in page
    assert admin.get(reverse("notices:answer_file", args=[cast.district.pk, a.pk])).status_code == 200


# --- reminders hook, panels, demo -------------------------------------------------------------------


def test_unread_past_the_deadline_is_reminded_once_by_zhibu_remind(cast, outbox):
    Role.objects.create(user=UserFactory(username="yucai_sec"), organisation=cast.other_branch, role=RoleKind.SECRETARY)
    notice = services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="截止通知",
        body="正文",
        sign_by=dt.date(2026, 3, 5),
        branches=[cast.branch, cast.other_branch],
    )
    services.mark_read(actor=cast.secretary, recipient=Recipient.objects.get(notice=notice, branch=cast.branch))
    assert not list(reminders.collect(dt.date(2026, 3, 5)))
    outbox.clear()
    with clock.frozen(dt.date(2026, 3, 6)):
        first = notify.run()
        second = notify.run()
    keys = [k for k in first.keys if k.startswith("notices:")]
    assert keys == [f"notices:overdue:notice={notice.pk}:due=2026-03-05:branch={cast.other_branch.pk}"]
    assert not [k for k in second.keys if k.startswith("notices:")]


def test_district_panel_and_branch_panel_counts(cast, rf, django_assert_max_num_queries):
    services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="面板",
        body="正文",
        branches=[cast.branch, cast.other_branch],
    )
    request = rf.get("/")
    request.user = cast.district_admin
    with django_assert_max_num_queries(3):
        html = panels.district_panel(request, cast.district)
    assert "0/2个支部已签阅" in html
    request.user = cast.secretary
    with django_assert_max_num_queries(3):
        html = panels.branch_panel(request, cast.branch)
    assert "待签阅通知：1" in html


def test_demo_builds_notices_a_guide_and_tasks(cast):
    from zhibu.notices import demo
    from zhibu.orgs.demo import DemoContext

    ctx = DemoContext(
        rng=random.Random(1),
        year=2026,
        district=cast.district,
        branches=[cast.branch, cast.other_branch],
        people={},
        accounts={"district": cast.district_admin},
    )
    demo.generate(ctx)
    assert Notice.objects.count() == 2 and Recipient.objects.count() == 4
    assert Guide.objects.get().month == TODAY.month
    assert Task.objects.count() == 2 and Answer.objects.count() == 4


def test_reminding_nobody_with_an_account_says_so(cast):
    from django.core.exceptions import ValidationError

    notice = services.send_notice(
        actor=cast.district_admin, sender=cast.district, title="无账号", body="正文", branches=[cast.other_branch]
    )
    with pytest.raises(ValidationError) as exc:
        services.remind_unread(actor=cast.district_admin, notice=notice)
    assert exc.value.code == "nobody_to_remind"
    services.mark_read(actor=cast.district_admin, recipient=Recipient.objects.get(notice=notice))
    with pytest.raises(ValidationError) as exc:
        services.remind_unread(actor=cast.district_admin, notice=notice)
    assert exc.value.code == "all_read"


def test_the_year_end_pack_lists_the_branchs_notices_and_signatures(cast):
    import io

    import openpyxl

    from zhibu.notices import yearend

    assert yearend.documents(cast.branch, 2026) == []
    notice = services.send_notice(
        actor=cast.district_admin, sender=cast.district, title="年终通知", body="正文", branches=[cast.branch]
    )
    row = Recipient.objects.get(notice=notice)
    services.mark_read(actor=cast.secretary, recipient=row)
    services.forward(actor=cast.secretary, recipient=row)
    [(name, content)] = yearend.documents(cast.branch, 2026)
    assert name == "阳光幼儿园党支部2026年上级通知签阅登记.xlsx"
    values = [c.value for c in openpyxl.load_workbook(io.BytesIO(content)).active[2]]
    assert values[0] == "年终通知" and values[-1] == "0/9"
