import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhibu.approvals import selectors as approvals_selectors
from zhibu.approvals import services as approvals_services
from zhibu.core import clock
from zhibu.membership import eligibility, rules, selectors, services, voting
from zhibu.membership.models import CaseState, StatusEvent, TransferCase
from zhibu.orgs.models import CommitteePosition, Person, Role, RoleKind, Transfer
from zhibu.orgs.testing import PersonFactory

DAY = dt.date(2026, 3, 10)


def _start_within(cast, person, **kw):
    return services.start_case(
        actor=cast.secretary,
        branch=cast.branch,
        person=person,
        kind="within",
        to_branch=cast.other_branch,
        dues_paid_to=dt.date(2026, 2, 1),
        reason="工作调动",
        **kw,
    )


def _approve(cast, case, on=DAY):
    approval = approvals_selectors.for_subject(case, services.TRANSFER_KIND)
    approvals_services.approve(actor=cast.district_admin, approval=approval, on=on)


def test_within_transfer_waits_for_the_district_then_moves_the_same_person(cast):
    member = cast.member_person
    CommitteePosition.objects.create(
        branch=cast.branch,
        person=member,
        position="discipline",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2028, 1, 1),
    )
    with clock.frozen(DAY):
        case = _start_within(cast, member)
        assert case.state == CaseState.PENDING
        approval = approvals_selectors.for_subject(case, services.TRANSFER_KIND)
        assert approval.state == "pending" and approval.approver_id == cast.district.pk
        member.refresh_from_db()
        assert member.branch_id == cast.branch.pk  # nothing moves before the approval
        _approve(cast, case)
    member.refresh_from_db()
    case.refresh_from_db()
    assert case.state == CaseState.DONE and case.completed_on == DAY
    assert member.branch_id == cast.other_branch.pk and member.active and member.group_id is None
    rows = {(t.branch_id, t.direction) for t in Transfer.objects.filter(person=member)}
    assert rows == {(cast.branch.pk, "out"), (cast.other_branch.pk, "in")}
    assert not CommitteePosition.objects.filter(person=member, ended_on__isnull=True).exists()
    roles = set(Role.objects.filter(user=cast.member).values_list("organisation_id", "role"))
    assert roles == {(cast.other_branch.pk, RoleKind.MEMBER)}


def test_within_transfer_refuses_a_branch_elsewhere_and_a_second_open_case(cast, edge_cast):
    with clock.frozen(DAY):
        with pytest.raises(ValidationError):
            services.start_case(
                actor=cast.secretary,
                branch=cast.branch,
                person=cast.member_person,
                kind="within",
                to_branch=edge_cast.other_district_branch,
                dues_paid_to=dt.date(2026, 2, 1),
                reason="调动",
            )
        _start_within(cast, cast.member_person)
        with pytest.raises(ValidationError) as exc:
            _start_within(cast, cast.member_person)
    assert "未完成" in str(exc.value)
    assert TransferCase.objects.count() == 1


def test_development_file_follows_the_person(cast):
    from zhibu.development.models import Candidate

    activist = Person.objects.get(branch=cast.branch, name="冯积极")
    candidate = Candidate.objects.create(branch=cast.branch, person=activist)
    # Activists are not members: the move itself is what follows them (orgs step + hook).
    from django.db import transaction

    from zhibu.orgs import services as orgs_services

    with clock.frozen(DAY), transaction.atomic():
        orgs_services.move_person_step(actor=cast.district_admin, person=activist, to_branch=cast.other_branch, on=DAY)
    candidate.refresh_from_db()
    assert candidate.branch_id == cast.other_branch.pk


def test_dues_ledger_moves_with_the_person_and_old_branch_sums_stay(cast, client_for):
    from zhibu.dues import selectors as dues
    from zhibu.dues.models import DuesBase, LedgerEntry

    member = cast.member_person
    DuesBase.objects.create(
        person=member, category="in_service", base=Decimal("4000"), effective_month=dt.date(2025, 1, 1)
    )
    for m in (1, 2):
        LedgerEntry.objects.create(
            person=member,
            branch=cast.branch,
            month=dt.date(2026, m, 1),
            amount_due=Decimal("40"),
            amount_paid=Decimal("40"),
            paid_on=dt.date(2026, m, 5),
        )
    jan, feb, mar = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)

    def sums(org, month):
        b = dues.month_close(org, month).branches.get(org.pk)
        return None if b is None else (b.collected, b.due_total, b.owing)

    before = {m: sums(cast.branch, m) for m in (jan, feb)}
    other_before = {m: sums(cast.other_branch, m) for m in (jan, feb)}
    with clock.frozen(DAY):
        case = _start_within(cast, member)
        _approve(cast, case)
    after = {m: sums(cast.branch, m) for m in (jan, feb)}
    assert after == before  # the old branch's months keep their members, dues and money
    assert {m: sums(cast.other_branch, m) for m in (jan, feb)} == other_before
    # From March the member owes at the new branch (党费交至 February).
    row = next(r for r in dues.month_close(cast.other_branch, mar).rows if r.person_id == member.pk)
    assert row.due == Decimal("40.00") and not row.elsewhere
    assert not any(r.person_id == member.pk for r in dues.month_close(cast.branch, mar).rows)
    # The ledger and the history show from the new branch.
    client_for("district_admin")
    with clock.frozen(DAY):
        page = client_for("district_admin").get(f"/o/{cast.other_branch.pk}/dues/members/{member.pk}/?year=2026")
        assert page.status_code == 200
        st = dues.statement(member, 2026, DAY)
    paid = [m for m in st.months if getattr(m, "paid", None)] if hasattr(st, "months") else None
    assert paid is None or len(paid) >= 2
    history = client_for("district_admin").get(f"/o/{cast.other_branch.pk}/membership/people/{member.pk}/")
    assert history.status_code == 200 and cast.branch.name in history.content.decode()


def test_out_of_district_letter_numbers_receipt_and_overdue(cast):
    a, b = PersonFactory(branch=cast.branch, name="外转甲"), PersonFactory(branch=cast.branch, name="外转乙")
    with clock.frozen(DAY):
        one = services.start_case(
            actor=cast.secretary,
            branch=cast.branch,
            person=a,
            kind="out",
            to_org="外区党委",
            dues_paid_to=dt.date(2026, 3, 1),
            reason="调往外区",
        )
        two = services.start_case(
            actor=cast.other_branch and cast.secretary,
            branch=cast.branch,
            person=b,
            kind="out",
            to_org="外区党委",
            dues_paid_to=dt.date(2026, 3, 1),
            reason="调往外区",
            valid_days=10,
        )
    assert (one.letter_year, one.letter_seq, two.letter_seq) == (2026, 1, 2)
    assert one.letter_number == "〔2026〕第1号" and one.valid_days == rules.LETTER_DAYS_DEFAULT
    a.refresh_from_db()
    assert not a.active and a.left_on == DAY
    assert Transfer.objects.get(person=a).letter_number == one.letter_number
    assert [c.pk for c in selectors.letters_overdue(DAY + dt.timedelta(days=11))] == [two.pk]
    with clock.frozen(DAY + dt.timedelta(days=5)):
        services.record_receipt(actor=cast.secretary, case=two, on=DAY + dt.timedelta(days=4))
    two.refresh_from_db()
    assert two.state == CaseState.DONE and two.receipt_on == DAY + dt.timedelta(days=4)


def test_letter_docx_has_number_validity_dues_and_stub(cast):
    import io

    import docx

    from zhibu.core.documents import checks
    from zhibu.membership import documents

    with clock.frozen(DAY):
        case = services.start_case(
            actor=cast.secretary,
            branch=cast.branch,
            person=cast.member_person,
            kind="out",
            to_org="外区党委",
            dues_paid_to=dt.date(2026, 3, 1),
            reason="调往外区",
        )
        content = documents.letter(case)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    for part in ("〔2026〕第1号", "有效期30天", "党费已交到2026年3月", "回执", "剪开"):
        assert part in text
    assert not checks.problems(content)


def test_status_register_and_lost_timing(cast):
    p = PersonFactory(branch=cast.branch, name="失联者")
    with clock.frozen(DAY):
        services.record_status(
            actor=cast.secretary, branch=cast.branch, person=p, kind="lost", on=dt.date(2025, 8, 1), reason="联系不上"
        )
        with pytest.raises(ValidationError):
            services.record_status(
                actor=cast.secretary, branch=cast.branch, person=p, kind="lost", on=dt.date(2025, 9, 1), reason="again"
            )
    rows = selectors.lost_rows(cast.branch, DAY)
    assert [(r.event.person_id, r.stop_due, r.overdue) for r in rows] == [(p.pk, dt.date(2026, 2, 1), True)]
    with clock.frozen(DAY):
        services.record_status(
            actor=cast.secretary, branch=cast.branch, person=p, kind="stopped", on=DAY, reason="支部大会决定，上级批准"
        )
    p.refresh_from_db()
    assert not p.active and p.left_on == DAY
    assert StatusEvent.objects.filter(person=p).count() == 2
    with clock.frozen(DAY), pytest.raises(ValidationError):
        services.record_status(
            actor=cast.secretary,
            branch=cast.branch,
            person=cast.member_person,
            kind="died",
            on=DAY + dt.timedelta(days=1),
            reason="x",
        )


def test_penalties_feed_eligibility_and_voting(cast):
    member = cast.member_person
    with clock.frozen(DAY):
        with pytest.raises(ValidationError):
            services.record_merit(
                actor=cast.secretary,
                branch=cast.branch,
                person=member,
                kind="penalty",
                title="留党察看",
                decided_on=dt.date(2026, 1, 5),
                decided_by="区党委",
                reason="x",
                ends_on=dt.date(2028, 6, 1),
            )  # more than two years
        services.record_merit(
            actor=cast.secretary,
            branch=cast.branch,
            person=member,
            kind="penalty",
            title="留党察看",
            decided_on=dt.date(2026, 1, 5),
            decided_by="区党委",
            reason="违纪",
            ends_on=dt.date(2027, 1, 5),
        )
        services.record_merit(
            actor=cast.secretary,
            branch=cast.branch,
            person=cast.committee_person,
            kind="award",
            title="优秀共产党员",
            decided_on=dt.date(2026, 1, 5),
            decided_by="区党委",
            reason="表现突出",
        )
    assert set(eligibility.vetoes(cast.branch, 2026)) == {member.pk}
    assert set(eligibility.vetoes(cast.branch, 2027)) == {member.pk}  # 留党察看 runs into 2027
    assert eligibility.vetoes(cast.branch, 2028) == {}
    assert set(voting.suspended(cast.branch, DAY)) == {member.pk}
    assert voting.suspended(cast.branch, dt.date(2027, 1, 5)) == {}


def test_member_request_lands_with_managers_and_starts_a_case(cast):
    with clock.frozen(DAY):
        req = services.ask_transfer(actor=cast.member, person=cast.member_person, destination="育才小学", reason="调动")
        with pytest.raises(ValidationError):
            services.ask_transfer(actor=cast.member, person=cast.member_person, destination="x", reason="y")
        case = _start_within(cast, cast.member_person, request=req)
    req.refresh_from_db()
    assert req.state == "started" and req.case_id == case.pk
