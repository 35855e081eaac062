"""Shared steps for the 换届 tests: an election of the cast's branch taken up to the meeting."""

import datetime as dt

from zhibu.elections import rules, services
from zhibu.elections.models import Candidate

TERM_END = dt.date(2028, 9, 1)  # the cast's committee took office on 2025-09-01
TODAY = dt.date(2028, 8, 25)


def start(cast, seats=3):
    return services.start_election(
        actor=cast.secretary, branch=cast.branch, seats=seats, planned_date=dt.date(2028, 8, 25)
    )


def to_review(cast, election, names=("王书记", "李组织", "张党员", "赵党员", "钱党员")):
    s = cast.secretary
    for code, on in (
        (rules.DECIDE, dt.date(2028, 7, 1)),
        (rules.REQUEST, dt.date(2028, 8, 1)),
        (rules.REPLY, dt.date(2028, 8, 10)),
    ):
        services.record_step(actor=s, election=election, code=code, on=on, ref="区教党委〔2028〕12号")
    people = {p.name: p for p in cast.people}
    services.record_nominations(
        actor=s, election=election, on=dt.date(2028, 8, 12), counts={people[n].pk: 10 - i for i, n in enumerate(names)}
    )
    ids = list(Candidate.objects.filter(election=election).values_list("pk", flat=True))
    services.choose_preliminary(actor=s, election=election, candidate_ids=ids, on=dt.date(2028, 8, 14))
    services.record_review(actor=s, election=election, candidate_ids=ids, on=dt.date(2028, 8, 18), ref="审查意见")
    return election


def to_meeting(cast, election, **kwargs):
    to_review(cast, election)
    people = {p.name: p for p in cast.people}
    services.record_meeting(
        actor=cast.secretary,
        election=election,
        meeting_date=TODAY,
        place="党员活动室",
        method_adopted=True,
        secret_ballot=True,
        scrutineers=[people["孙党员"].pk],
        tellers=[people["周党员"].pk],
        **kwargs,
    )
    election.refresh_from_db()
    return election


def candidate(election, name):
    return Candidate.objects.get(election=election, person__name=name)


def votes(election, **by_name):
    return {candidate(election, n).pk: v for n, v in by_name.items()}
