"""Thin views: fetch through zhibu.orgs.access, write through services, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.approvals import selectors as approval_selectors
from zhibu.core import clock
from zhibu.core.documents import cn_date
from zhibu.core.documents.dates import signing_date
from zhibu.core.documents.web import refused
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import docx_response
from zhibu.elections import documents, rules, selectors, services
from zhibu.elections.forms import (
    CandidatesForm,
    ElectionForm,
    MeetingForm,
    NominationsForm,
    PostsForm,
    RescheduleForm,
    RoundForm,
    StepForm,
)
from zhibu.elections.models import Election
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind

REF_STEPS = {rules.REPLY: "批复文号", rules.APPROVAL: "批复文号"}


def _election(request: HttpRequest, org, election_id: int) -> Election:
    election = access.get_object(
        request, Election.objects.select_related("branch", "branch__parent"), election_id, org=org
    )
    assert isinstance(election, Election)
    return election


def _back(election: Election, anchor: str = "#checklist"):
    return redirect(reverse("elections:detail", args=[election.branch_id, election.pk]) + anchor)


def _form_page(request, org, election, form, title, *, note: str = "") -> HttpResponse:
    return render(
        request, "elections/form.html", {"org": org, "election": election, "form": form, "title": title, "note": note}
    )


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    scope = access.get_scope(request)
    today = clock.today()
    end = selectors.committee_term_end(org)
    return render(
        request,
        "elections/index.html",
        {
            "org": org,
            "term_start": selectors.committee_term_start(org),
            "term_end": end,
            "state": rules.term_state(end, today),
            "state_label": rules.TERM_STATES[rules.term_state(end, today)],
            "checklist_from": rules.checklist_starts(end) if end else None,
            "elections": selectors.elections_of(org),
            "reschedules": selectors.reschedules_of(org),
            "can_manage": scope.can(org, access.MANAGE),
            "can_audit": scope.can(org, access.AUDIT),
            "can_appoint": scope.can(org, access.APPOINT),
            "source": rules.SOURCE_TERM,
        },
    )


@login_required
def election_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    end = selectors.committee_term_end(org)
    form = ElectionForm(request.POST or None, initial={"planned_date": end or clock.today(), "seats": 3})
    if request.method == "POST" and form.is_valid():
        try:
            election = services.start_election(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已启动换届工作，请按清单逐项办理")
            return _back(election)
    return _form_page(
        request, org, None, form, "启动换届", note=f"本届任期届满：{cn_date(end)}" if end else "本支部尚未登记支部委员"
    )


@login_required
def election_edit(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    initial = {name: getattr(election, name) for name in services.ELECTION_FIELDS}
    form = ElectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_election(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return _back(election, "")
    return _form_page(request, org, election, form, "换届设置")


@login_required
def detail(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.AUDIT)
    election = _election(request, org, election_id)
    tally = selectors.tally(election)
    scope = access.get_scope(request)
    return render(
        request,
        "elections/detail.html",
        {
            "org": org,
            "election": election,
            "tally": tally,
            "steps": selectors.checklist(election, tally),
            "candidates": selectors.candidates_of(election),
            "exclusions": election.exclusions.select_related("person"),
            "scrutineers": election.scrutineers.all(),
            "tellers": election.tellers.all(),
            "min_candidates": rules.min_candidates(election.seats),
            "can_manage": scope.can(org, access.MANAGE) and not election.finished,
            "can_appoint": scope.can(org, access.APPOINT) and not election.finished,
            "date_steps": set(services.DATE_STEPS),
            "kinds": documents.KINDS,
            "source": rules.SOURCE_COUNT,
            "request_approval": approval_selectors.for_subject(election, kind="elections.request"),
        },
    )


@login_required
def step(request: HttpRequest, org_id: int, election_id: int, code: str) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    if code not in services.DATE_STEPS:
        raise Http404("没有这个事项")
    form = StepForm(request.POST or None, with_ref=code in REF_STEPS, initial={"on": clock.today()})
    if "ref" in form.fields:
        form.fields["ref"].label = REF_STEPS[code]
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(
                actor=request.user,
                election=election,
                code=code,
                on=form.cleaned_data["on"],
                ref=form.cleaned_data.get("ref") or "",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记“{rules.STEP_LABELS[code]}”")
            return _back(election)
    return _form_page(request, org, election, form, rules.STEP_LABELS[code])


@login_required
def nominations(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    initial = {f"n_{c.person_id}": c.nominations for c in election.candidates.all()}
    form = NominationsForm(request.POST or None, branch=org, initial={"on": clock.today(), **initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_nominations(
                actor=request.user, election=election, counts=form.counts(), on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记党员推荐结果")
            return _back(election)
    return _form_page(
        request, org, election, form, "党员推荐候选人", note="填写每位正式党员得到的推荐人数（不推荐的留空）"
    )


def _candidate_form(request, election, *, approved_only: bool, with_ref: bool) -> CandidatesForm:
    rows = selectors.candidates_of(election)
    if approved_only:
        rows = [c for c in rows if c.preliminary]
    choices = [(c.pk, f"{c.person.name}（推荐{c.nominations}人）") for c in rows]
    chosen = [c.pk for c in rows if (c.approved if approved_only else c.preliminary)]
    return CandidatesForm(
        request.POST or None, choices=choices, with_ref=with_ref, initial={"candidates": chosen, "on": clock.today()}
    )


@login_required
def preliminary(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    form = _candidate_form(request, election, approved_only=False, with_ref=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_preliminary(
                actor=request.user,
                election=election,
                candidate_ids=form.cleaned_data["candidates"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已确定候选人预备人选")
            return _back(election)
    return _form_page(
        request,
        org,
        election,
        form,
        "支委会确定候选人预备人选",
        note=f"应选{election.seats}名，预备人选至少{rules.min_candidates(election.seats)}名（差额不少于20%）",
    )


@login_required
def review(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    form = _candidate_form(request, election, approved_only=True, with_ref=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(
                actor=request.user,
                election=election,
                candidate_ids=form.cleaned_data["candidates"],
                on=form.cleaned_data["on"],
                ref=form.cleaned_data.get("ref") or "",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记上级审查结果")
            return _back(election)
    return _form_page(request, org, election, form, "上级党委审查候选人预备人选", note="勾选上级党委同意的候选人")


@login_required
def meeting(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    form = MeetingForm(
        request.POST or None, branch=org, initial={"meeting_date": election.planned_date, "secret_ballot": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(
                actor=request.user,
                election=election,
                **{
                    **form.cleaned_data,
                    "scrutineers": [p.pk for p in form.cleaned_data["scrutineers"]],
                    "tellers": [p.pk for p in form.cleaned_data["tellers"]],
                    "excluded": [p.pk for p in form.cleaned_data["excluded"]],
                    "suspended": [p.pk for p in form.cleaned_data["suspended"]],
                },
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记党员大会")
            return _back(election, "#count")
    return _form_page(
        request, org, election, form, "召开党员大会", note="正式党员有选举权；预备党员没有选举权，不计入应到会"
    )


@login_required
def round_new(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    tally = selectors.tally(election)
    form = RoundForm(request.POST or None, ballot=tally.ballot)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_round(
                actor=request.user,
                election=election,
                present=d["present"],
                issued=d["issued"],
                returned=d["returned"],
                invalid=d["invalid"],
                votes=form.votes(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            result = selectors.tally(election)
            last = result.rounds[-1]
            if not last.result.valid:
                messages.error(
                    request,
                    "本轮选举无效：" + "；".join(v.message for v in last.result.violations if v.rule in rules.VOIDING),
                )
            elif result.remaining == 0:
                messages.success(request, "应选名额已全部选出")
            else:
                messages.warning(request, f"尚缺{result.remaining}名，须{result.next_kind_label}")
            return _back(election, "#count")
    title = f"登记计票结果（{tally.next_kind_label}，应选{tally.remaining}名）"
    return _form_page(
        request, org, election, form, title, note=f"应到会有选举权的党员{tally.should_attend}人；候选人以姓氏笔画为序"
    )


@login_required
def posts(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    election = _election(request, org, election_id)
    tally = selectors.tally(election)
    initial = {f"post_{c.pk}": c.post for c in tally.elected if c.post}
    form = PostsForm(request.POST or None, elected=tally.elected, initial={"on": election.meeting_date, **initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_posts(actor=request.user, election=election, posts=form.posts(), on=form.cleaned_data["on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记书记、副书记和分工")
            return _back(election)
    return _form_page(
        request,
        org,
        election,
        form,
        "新一届支委会选举书记、副书记和分工",
        note="书记、副书记由新一届支部委员会选举产生，报上级党委批准",
    )


@login_required
@require_POST
def install(request: HttpRequest, org_id: int, election_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.APPOINT)
    election = _election(request, org, election_id)
    try:
        services.install(actor=request.user, election=election)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "新一届支部委员会已任职，任期重新计算")
    return _back(election)


@login_required
def reschedule(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.APPOINT)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reschedule(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记，任期届满日已调整")
            return redirect("elections:index", org_id=org.pk)
    return _form_page(
        request,
        org,
        None,
        form,
        "延期或提前换届",
        note=f"须经上级党委批准，调整一般不超过1年（依据：{rules.SOURCE_RESCHEDULE}）",
    )


@login_required
def document(request: HttpRequest, org_id: int, election_id: int, kind: str) -> HttpResponse:
    org = access.get_branch(request, org_id, access.AUDIT)
    election = _election(request, org, election_id)
    if kind not in documents.KINDS:
        raise Http404("没有这个文书")
    tally = selectors.tally(election)
    back = reverse("elections:detail", args=[org.pk, election.pk])
    reasons = documents.missing(election, kind, tally)
    when, error = signing_date(request.GET, default=None)
    if error:
        reasons.append(error)
    if reasons:
        return refused(request, heading=f"暂不能生成{documents.KINDS[kind]}", reasons=reasons, back_url=back)
    content = documents.build(election, kind, tally, date=when)
    return docx_response(content, documents.filename(election, kind))


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):  # a branch's own term is on its 换届 page
        return redirect("elections:index", org_id=org.pk if org.kind == OrgKind.BRANCH else org.parent_id)
    today = clock.today()
    rows = selectors.district_terms(org, today)
    counts = {state: sum(1 for r in rows if r.state == state) for state in rules.TERM_STATES}
    show = request.GET.get("show", "")
    if show in rules.TERM_STATES:
        rows = [r for r in rows if r.state == show]
    return render(
        request,
        "elections/district.html",
        {
            "org": org,
            "rows": rows,
            "show": show,
            "today": today,
            "filters": [(k, label, counts[k]) for k, label in rules.TERM_STATES.items()],
            "soon": rules.add_months(today, rules.DUE_MONTHS),
            "source": rules.SOURCE_TERM,
        },
    )
