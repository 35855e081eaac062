"""Demo data: a few 发展党员 files per demo branch at varied stages (bulk inserts), among them a
预备党员 whose 预备期 was extended (延长预备期) in every third branch. The stored status comes from
`timeline.derive`, the same function the services use."""
from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.development import documents, rules, timeline
from zhibu.development.models import AnnualQuota, Assessment, Candidate, Link, LinkRole, StepRecord, ThoughtReport
from zhibu.orgs.models import Standing
from zhibu.workdays.selectors import get_calendar

# Days after the application at which each step happens: a timeline that keeps every rule.
OFFSETS = {
    "application": 0, "application_talk": 14, "activist": 60, "activist_filed": 70, "contacts": 70,
    "candidate": 440, rules.PUBLICITY: 447, "candidate_approved": 465, "sponsors": 466, "political_review": 470,
    "training": 475, "committee_review": 485, "pre_review": 490, "application_form": 495,
    "admission_meeting": 510, "approval_talk": 530, "approval": 560, "filed": 565, "assigned": 566, "oath": 580,
}
ASSESSMENTS = (240, 420)
LAST_STEP = {Standing.APPLICANT: "application_talk", Standing.ACTIVIST: "contacts", Standing.CANDIDATE: "training",
             Standing.PROBATIONARY: "oath"}


def generate(ctx) -> None:
    today = min(clock.today(), dt.date(ctx.year, 12, 31))
    calendar = get_calendar()
    rng = ctx.rng
    plans = []  # (candidate, steps, links, assessments, reports)
    eligible = 0  # branches with a 预备党员 whose year ended
    for branch in ctx.branches:
        people = ctx.people.get(branch.pk, [])
        full = [p for p in people if p.standing == Standing.FULL]
        chosen = [p for p in people if p.standing in (Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE)]
        probationary = [p for p in people if p.standing == Standing.PROBATIONARY and p.admitted_on]
        chosen += probationary[:1]
        # 延长预备期 (every third such branch, the first included): a 预备党员 whose year ended; the 支部大会
        # extended the 预备期 by 6 months at its end.
        extended = next((p for p in probationary if rules.add_years(p.admitted_on, 1) <= today), None)
        if extended is not None:
            eligible += 1
            if eligible % 3 != 1:
                extended = None
        if extended is not None and extended not in chosen:
            chosen.append(extended)
        for person in chosen:
            last = LAST_STEP[person.standing]
            keys = [k for k in rules.SEQUENCE if k in OFFSETS and OFFSETS[k] <= OFFSETS[last]]
            if person.standing == Standing.PROBATIONARY:
                start = person.admitted_on - dt.timedelta(days=OFFSETS["admission_meeting"])
            else:
                start = today - dt.timedelta(days=OFFSETS[last] + rng.randint(5, 60))
            if person.birth_date and start < rules.add_years(person.birth_date, 18):
                continue
            c = Candidate(branch=branch, person=person)
            steps, links = [], []
            for key in keys:
                d = start + dt.timedelta(days=OFFSETS[key])
                s = StepRecord(candidate=c, step=key, date=d, actor="支部委员会" if key in ("activist", "candidate") else "")
                if key == rules.PUBLICITY:
                    s.end_date = documents.publicity_end(d, calendar).date
                elif key == "training":
                    s.end_date, s.training_days = d + dt.timedelta(days=2), 3
                elif key == "admission_meeting":
                    n = max(len(full), 3)
                    s.should_attend, s.present, s.votes_for, s.against, s.abstain = n, n, n, 0, 0
                    s.secret_ballot = True
                steps.append(s)
            if person is extended:
                end = rules.add_years(person.admitted_on, 1)
                n = max(len(full), 3)
                approved = end + dt.timedelta(days=20)
                steps.append(StepRecord(
                    candidate=c, step=rules.EXTENSION, date=end, should_attend=n, present=n, votes_for=n - 1,
                    against=1, abstain=0, secret_ballot=True, months=6, approved_on=approved if approved <= today else None,
                    notes="考察期间表现尚不完全具备党员条件，支部大会决定延长预备期六个月"))
            for key, role, n in (("contacts", LinkRole.CONTACT, 2), ("sponsors", LinkRole.SPONSOR, 2)):
                if key in keys and len(full) >= n:
                    since = start + dt.timedelta(days=OFFSETS[key])
                    links += [Link(candidate=c, person=p, role=role, since=since) for p in rng.sample(full, n)]
            assessments = [Assessment(candidate=c, date=start + dt.timedelta(days=o), assessor="支部委员会", summary="表现良好")
                           for o in ASSESSMENTS if "activist" in keys and start + dt.timedelta(days=o) <= today]
            reports = [ThoughtReport(candidate=c, received_on=start + dt.timedelta(days=60 + 91 * i))
                       for i in range(8) if "activist" in keys and start + dt.timedelta(days=60 + 91 * i) <= today]
            plans.append((c, steps, links, assessments, reports))
    for c, steps, links, assessments, _r in plans:
        status = timeline.derive(c, calendar=calendar, as_of=today, steps=steps, links=links,
                                 assessments=assessments, overrides=())
        for name, value in status.stored().items():
            setattr(c, name, value)
    Candidate.objects.bulk_create([p[0] for p in plans], batch_size=2000)
    for model, index in ((StepRecord, 1), (Link, 2), (Assessment, 3), (ThoughtReport, 4)):
        rows = [row for p in plans for row in p[index]]
        for row in rows:
            row.candidate_id = row.candidate.pk
        model.objects.bulk_create(rows, batch_size=2000)
    AnnualQuota.objects.bulk_create([AnnualQuota(branch=b, year=ctx.year, planned=2) for b in ctx.branches],
                                    batch_size=2000, ignore_conflicts=True)
    requests = _requests(ctx, plans, today)
    ctx.say(f"  发展党员: {len(plans)} 份档案, {requests} 件报批")


def _requests(ctx, plans, today: dt.date) -> int:
    """Requests to the 上级党委 (zhibu.approvals, development/approvals.py): the 发展对象 同意 each file
    that has one went through (approved on the step's date); a 预审 sent up for each 发展对象 whose
    training is done (every fifth sent back); each 延长预备期 not yet approved. No random draws (the
    shared rng stays as the other apps expect it)."""
    from zhibu.approvals.demo import DemoRequest, bulk_requests
    from zhibu.approvals.models import State
    from zhibu.development.approvals import STEP_KINDS

    out = []
    for i, (c, steps, *_rest) in enumerate(plans):
        by = {s.step: s for s in steps}
        name = c.person.name
        if "candidate_approved" in by:
            d = by["candidate_approved"].date
            out.append(DemoRequest(kind=STEP_KINDS["candidate_approved"], branch=c.branch, subject=c,
                                   title=name,
                                   submitted_on=d - dt.timedelta(days=3), state=State.APPROVED, decided_on=d,
                                   payload={"step": "candidate_approved", "notes": "公示无异议"}))
        if "training" in by and "pre_review" not in by:
            returned = i % 5 == 0
            out.append(DemoRequest(
                kind=STEP_KINDS["pre_review"], branch=c.branch, subject=c, title=name,
                submitted_on=min(today, max(by["training"].end_date or by["training"].date,
                                            today - dt.timedelta(days=1 + i * 7 % 40))),
                state=State.RETURNED if returned else State.PENDING,
                reason="请补充支部委员会审查意见和政治审查结论材料" if returned else "",
                payload={"step": "pre_review", "notes": "已完成集中培训和政治审查"}))
        extension = by.get(rules.EXTENSION)
        if extension is not None and extension.approved_on is None and extension.date <= today:
            out.append(DemoRequest(
                kind=STEP_KINDS[rules.EXTENSION], branch=c.branch, subject=c, title=name,
                submitted_on=min(today, extension.date + dt.timedelta(days=3)),
                payload={"step": rules.EXTENSION, "notes": "支部大会决定延长预备期六个月"}))
    return bulk_requests(ctx, out)
