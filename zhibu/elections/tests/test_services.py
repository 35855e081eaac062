"""The 换届 services: the checklist in order, the count over rounds, posts and the term through orgs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.elections import rules, selectors, services
from zhibu.elections.models import Election
from zhibu.elections.tests.helpers import TERM_END, TODAY, candidate, start, to_meeting, to_review, votes
from zhibu.orgs.models import CommitteePosition, Role, RoleKind


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def codes(exc):
    return {e.code for e in exc.value.error_list} if hasattr(exc.value, "error_list") else set()


def all_codes(exc):
    if hasattr(exc.value, "error_dict"):
        return {e.code for errs in exc.value.error_dict.values() for e in errs}
    return {e.code for e in exc.value.error_list}


def test_the_term_end_comes_from_the_committee_posts(cast):
    election = start(cast)
    assert election.term_end == TERM_END
    assert [s.code for s in selectors.checklist(election)][:2] == ["decide", "request"]
    assert selectors.checklist(election)[0].due == dt.date(2028, 7, 1)


def test_one_election_per_term(cast):
    start(cast)
    with pytest.raises(ValidationError) as exc:
        start(cast)
    assert all_codes(exc) == {"duplicate"}


def test_steps_go_in_order(cast):
    election = start(cast)
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=cast.secretary, election=election, code=rules.REPLY, on=TODAY)
    assert all_codes(exc) == {"step_order"}


def test_no_future_dates(cast):
    election = start(cast)
    with pytest.raises(ValidationError) as exc:
        services.record_step(actor=cast.secretary, election=election, code=rules.DECIDE, on=TODAY + dt.timedelta(1))
    assert all_codes(exc) == {"date_in_future"}


def test_preliminary_list_needs_the_twenty_percent_margin(cast):
    election = start(cast)
    with pytest.raises(ValidationError) as exc:
        to_review(cast, election, names=("王书记", "李组织", "张党员"))
    assert all_codes(exc) == {"candidate_margin"}


def test_scrutineers_are_not_candidates_and_the_ballot_is_secret(cast):
    election = to_review(cast, start(cast))
    people = {p.name: p for p in cast.people}
    base = dict(
        actor=cast.secretary,
        election=election,
        meeting_date=TODAY,
        method_adopted=True,
        secret_ballot=True,
        scrutineers=[people["王书记"].pk],
        tellers=[people["周党员"].pk],
    )
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(**base)
    assert all_codes(exc) == {"scrutineer_is_candidate"}
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(**{**base, "scrutineers": [people["孙党员"].pk], "secret_ballot": False})
    assert all_codes(exc) == {"not_secret"}
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(**{**base, "scrutineers": [people["郑预备"].pk]})
    assert all_codes(exc) == {"not_full_member"}


def test_voters_are_full_members_less_excluded_and_suspended(cast):
    people = {p.name: p for p in cast.people}
    election = to_meeting(
        cast, start(cast), excluded=[people["吴党员"].pk], exclusion_reason="经上级批准：出国半年以上"
    )
    t = selectors.tally(election)
    assert (t.full, t.excluded, t.should_attend) == (8, 1, 7)  # 郑预备 never counts


def test_first_round_leaves_a_seat_and_another_election_fills_it(cast):
    election = to_meeting(cast, start(cast))
    s = cast.secretary
    services.record_round(
        actor=s,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=4, 赵党员=3, 钱党员=2),
    )
    t = selectors.tally(election)
    assert [c.person.name for c in t.elected] == ["王书记", "李组织"] and t.remaining == 1
    assert t.next_kind == "additional" and {c.person.name for c in t.ballot} == {"张党员", "赵党员", "钱党员"}
    services.record_round(
        actor=s,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=1,
        votes=votes(election, 张党员=5, 赵党员=2, 钱党员=0),
    )
    t = selectors.tally(election)
    assert [c.person.name for c in t.elected] == ["王书记", "李组织", "张党员"] and t.remaining == 0
    assert [r.round.kind for r in t.rounds] == ["regular", "additional"]
    with pytest.raises(ValidationError) as exc:
        services.record_round(actor=s, election=election, present=8, issued=8, returned=8, invalid=0, votes={})
    assert all_codes(exc) == {"all_elected"}


def test_a_tie_at_the_last_seat_is_voted_again_among_the_tied(cast):
    election = to_meeting(cast, start(cast))
    s = cast.secretary
    services.record_round(
        actor=s,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=5, 赵党员=5, 钱党员=1),
    )
    t = selectors.tally(election)
    assert t.next_kind == "runoff" and {c.person.name for c in t.ballot} == {"张党员", "赵党员"}
    services.record_round(
        actor=s,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 张党员=3, 赵党员=5),
    )
    assert [c.person.name for c in selectors.tally(election).elected] == ["王书记", "李组织", "赵党员"]


def test_a_void_count_is_kept_and_voted_again(cast):
    election = to_meeting(cast, start(cast))
    services.record_round(
        actor=cast.secretary,
        election=election,
        present=6,
        issued=6,
        returned=6,
        invalid=0,
        votes=votes(election, 王书记=6, 李组织=6, 张党员=5, 赵党员=1, 钱党员=0),
    )
    t = selectors.tally(election)
    assert not t.rounds[0].result.valid and t.elected == [] and t.next_kind == "regular"


def test_bad_counts_are_refused(cast):
    election = to_meeting(cast, start(cast))
    base = dict(
        actor=cast.secretary,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=5, 赵党员=5, 钱党员=1),
    )
    with pytest.raises(ValidationError) as exc:
        services.record_round(**{**base, "present": 9})
    assert all_codes(exc) == {"present_exceeds_voters"}
    with pytest.raises(ValidationError) as exc:
        services.record_round(**{**base, "invalid": 9})
    assert all_codes(exc) == {"invalid_exceeds_returned"}
    with pytest.raises(ValidationError) as exc:
        services.record_round(**{**base, "votes": votes(election, 王书记=9, 李组织=7, 张党员=5, 赵党员=5, 钱党员=1)})
    assert all_codes(exc) == {"votes_exceed_valid"}
    with pytest.raises(ValidationError) as exc:
        services.record_round(**{**base, "votes": votes(election, 王书记=8)})
    assert all_codes(exc) == {"votes_missing"}


def finish(cast, election):
    s = cast.secretary
    services.record_round(
        actor=s,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=6, 赵党员=3, 钱党员=2),
    )
    services.assign_posts(
        actor=s,
        election=election,
        on=TODAY,
        posts={
            candidate(election, "王书记").pk: "secretary",
            candidate(election, "李组织").pk: "organisation",
            candidate(election, "张党员").pk: "discipline",
        },
    )
    services.record_step(actor=s, election=election, code=rules.REPORT, on=TODAY)
    services.record_step(actor=s, election=election, code=rules.APPROVAL, on=TODAY, ref="区教党委〔2028〕30号")
    return services.install(actor=s, election=election)


def test_install_updates_posts_and_restarts_the_term(cast):
    election = finish(cast, to_meeting(cast, start(cast)))
    current = {p.position: p for p in CommitteePosition.objects.filter(branch=cast.branch, ended_on__isnull=True)}
    assert {k: v.person.name for k, v in current.items()} == {
        "secretary": "王书记",
        "organisation": "李组织",
        "discipline": "张党员",
    }
    assert all(p.term_start == TODAY and p.term_end == dt.date(2031, 8, 25) for p in current.values())
    old = CommitteePosition.objects.get(branch=cast.branch, position="propaganda")
    assert old.ended_on == TODAY
    assert selectors.committee_term_end(cast.branch) == dt.date(2031, 8, 25)
    assert all(s.state == "done" for s in selectors.checklist(election))
    assert AuditEntry.objects.filter(action="elections.install").count() == 1
    assert Role.objects.filter(user=cast.secretary, organisation=cast.branch, role=RoleKind.SECRETARY).exists()


def test_posts_need_a_secretary_and_one_holder_each(cast):
    election = to_meeting(cast, start(cast))
    services.record_round(
        actor=cast.secretary,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=6, 赵党员=3, 钱党员=2),
    )
    ids = [candidate(election, n).pk for n in ("王书记", "李组织", "张党员")]
    with pytest.raises(ValidationError) as exc:
        services.assign_posts(
            actor=cast.secretary,
            election=election,
            on=TODAY,
            posts=dict(zip(ids, ["deputy", "organisation", "propaganda"], strict=True)),
        )
    assert all_codes(exc) == {"no_secretary"}
    with pytest.raises(ValidationError) as exc:
        services.assign_posts(
            actor=cast.secretary,
            election=election,
            on=TODAY,
            posts=dict(zip(ids, ["secretary", "secretary", "propaganda"], strict=True)),
        )
    assert all_codes(exc) == {"post_twice"}


def test_only_the_secretary_or_district_installs(cast):
    election = to_meeting(cast, start(cast))
    services.record_round(
        actor=cast.secretary,
        election=election,
        present=8,
        issued=8,
        returned=8,
        invalid=0,
        votes=votes(election, 王书记=8, 李组织=7, 张党员=6, 赵党员=3, 钱党员=2),
    )
    services.assign_posts(
        actor=cast.secretary,
        election=election,
        on=TODAY,
        posts={
            candidate(election, "王书记").pk: "secretary",
            candidate(election, "李组织").pk: "organisation",
            candidate(election, "张党员").pk: "propaganda",
        },
    )
    services.record_step(actor=cast.secretary, election=election, code=rules.REPORT, on=TODAY)
    services.record_step(actor=cast.secretary, election=election, code=rules.APPROVAL, on=TODAY)
    with pytest.raises(PermissionDenied):
        services.install(actor=cast.committee, election=election)
    services.install(actor=cast.district_admin, election=election)


def test_postponement_needs_approval_and_at_most_a_year(cast):
    kw = dict(
        actor=cast.secretary,
        branch=cast.branch,
        kind="postpone",
        approved_on=TODAY,
        approval_ref="区教党委〔2028〕8号",
        reason="学校撤并调整",
    )
    with pytest.raises(ValidationError) as exc:
        services.record_reschedule(**{**kw, "to_end": dt.date(2029, 9, 2)})
    assert all_codes(exc) == {"shift_too_long"}
    with pytest.raises(ValidationError) as exc:
        services.record_reschedule(**{**kw, "approval_ref": "", "to_end": dt.date(2029, 3, 1)})
    assert all_codes(exc) == {"approval_required"}
    election = start(cast)
    services.record_reschedule(**{**kw, "to_end": dt.date(2029, 3, 1)})
    assert selectors.committee_term_end(cast.branch) == dt.date(2029, 3, 1)
    election.refresh_from_db()
    assert election.term_end == dt.date(2029, 3, 1)
    # a second postponement still counts from the regular end
    with pytest.raises(ValidationError) as exc:
        services.record_reschedule(**{**kw, "to_end": dt.date(2029, 9, 2)})
    assert all_codes(exc) == {"shift_too_long"}
    services.record_reschedule(**{**kw, "to_end": dt.date(2029, 9, 1)})


def test_early_election_moves_the_end_earlier(cast):
    services.record_reschedule(
        actor=cast.secretary,
        branch=cast.branch,
        kind="advance",
        to_end=dt.date(2028, 6, 1),
        approved_on=TODAY,
        approval_ref="批复",
        reason="书记调离",
    )
    assert selectors.committee_term_end(cast.branch) == dt.date(2028, 6, 1)
    with pytest.raises(ValidationError):
        services.record_reschedule(
            actor=cast.secretary,
            branch=cast.branch,
            kind="advance",
            to_end=dt.date(2027, 8, 31),
            approved_on=TODAY,
            approval_ref="批复",
            reason="x",
        )


def test_district_terms_show_due_and_overdue(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        rows = selectors.district_terms(cast.district, TODAY)
    by = {r.branch.name: r for r in rows}
    assert by["阳光幼儿园党支部"].state == "due" and by["育才小学党支部"].state == "none"
    assert Election.objects.count() == 0


def test_an_early_election_needs_the_recorded_approval(cast):
    with clock.frozen(dt.date(2028, 3, 1)):
        election = start(cast)
        s = cast.secretary
        for code, on in (
            (rules.DECIDE, dt.date(2028, 1, 5)),
            (rules.REQUEST, dt.date(2028, 1, 10)),
            (rules.REPLY, dt.date(2028, 1, 20)),
        ):
            services.record_step(actor=s, election=election, code=code, on=on)
        people = {p.name: p for p in cast.people}
        names = ("王书记", "李组织", "张党员", "赵党员")
        services.record_nominations(
            actor=s, election=election, on=dt.date(2028, 1, 25), counts={people[n].pk: 5 for n in names}
        )
        ids = list(election.candidates.values_list("pk", flat=True))
        services.choose_preliminary(actor=s, election=election, candidate_ids=ids, on=dt.date(2028, 2, 1))
        services.record_review(actor=s, election=election, candidate_ids=ids, on=dt.date(2028, 2, 10))
        meeting = dict(
            actor=s,
            election=election,
            meeting_date=dt.date(2028, 3, 1),
            method_adopted=True,
            secret_ballot=True,
            scrutineers=[people["孙党员"].pk],
            tellers=[people["周党员"].pk],
        )
        with pytest.raises(ValidationError) as exc:
            services.record_meeting(**meeting)
        assert all_codes(exc) == {"early_without_approval"}
        services.record_reschedule(
            actor=s,
            branch=cast.branch,
            kind="advance",
            to_end=dt.date(2028, 3, 15),
            approved_on=dt.date(2028, 2, 20),
            approval_ref="区教党委〔2028〕3号",
            reason="书记调离",
        )
        election.refresh_from_db()
        assert election.term_end == dt.date(2028, 3, 15)
        services.record_meeting(**{**meeting, "election": election})


def test_the_web_count_is_the_command_count(cast):
    """election.md: the same rule functions serve the web app and `zhibu election check`."""
    people = {p.name: p for p in cast.people}
    election = to_meeting(cast, start(cast), suspended=[people["吴党员"].pk], exclusion_reason="留党察看期间")
    services.record_round(
        actor=cast.secretary,
        election=election,
        present=7,
        issued=7,
        returned=7,
        invalid=0,
        votes=votes(election, 王书记=7, 李组织=5, 张党员=5, 赵党员=1, 钱党员=0),
    )
    web = selectors.tally(election).rounds[0]
    data = {
        "seats": 3,
        "voters": {"full": 8, "excluded": 0, "suspended": 1},
        "present": 7,
        "ballots": {"issued": 7, "returned": 7, "invalid": 0},
        "candidates": [{"name": c.person.name, "votes": n} for c, n in web.votes],
    }
    cli = rules.check(data)
    assert cli.elected == [c.person.name for c in web.elected] == ["王书记", "李组织", "张党员"]
    assert (cli.should_attend, cli.valid, cli.unfilled) == (web.result.should_attend, True, 0)
