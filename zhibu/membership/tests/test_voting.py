"""留党察看 suspends voting rights where voters are counted: orglife attendance and 换届 voters."""

import datetime as dt

from zhibu.core import clock
from zhibu.membership import services


def _probation(cast, person, on, ends):
    with clock.frozen(on):
        services.record_merit(
            actor=cast.secretary,
            branch=cast.branch,
            person=person,
            kind="penalty",
            title="留党察看",
            decided_on=on,
            decided_by="示范区教育局党委",
            reason="违纪",
            ends_on=ends,
        )


def test_orglife_attendance_has_no_vote_under_probation(cast):
    from zhibu.orglife import services as orglife

    member = cast.member_person
    _probation(cast, member, dt.date(2026, 3, 2), dt.date(2027, 3, 2))
    with clock.frozen(dt.date(2026, 3, 20)):
        m = orglife.create_meeting(
            actor=cast.secretary,
            branch=cast.branch,
            kind="party_congress",
            topic="党员大会",
            starts_at=dt.datetime(2026, 3, 25, 8, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 3, 25, 9, 0, tzinfo=dt.UTC),
        )
    rows = {a.person_id: a.voting for a in m.attendances.all()}
    assert rows[member.pk] is False
    assert rows[cast.committee_person.pk] is True


def test_election_counts_probation_as_suspended(cast):
    from zhibu.elections.models import VoterExclusion, VoterKind
    from zhibu.elections.tests.helpers import TODAY, start, to_meeting

    member = next(p for p in cast.people if p.name == "赵党员")
    _probation(cast, member, dt.date(2028, 1, 10), dt.date(2029, 1, 10))
    with clock.frozen(TODAY):
        election = to_meeting(cast, start(cast))
    row = VoterExclusion.objects.get(election=election, person=member)
    assert row.kind == VoterKind.SUSPENDED and "留党察看" in row.reason
