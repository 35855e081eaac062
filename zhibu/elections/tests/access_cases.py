import datetime as dt

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.core import clock
    from zhibu.elections import services

    election = services.start_election(
        actor=cast.secretary, branch=cast.branch, seats=3, planned_date=clock.today() + dt.timedelta(days=30)
    )
    b, e = cast.branch.pk, election.pk
    return {
        "elections:index": {"org_id": b},
        "elections:new": {"org_id": b},
        "elections:reschedule": {"org_id": b},
        "elections:district": {"org_id": b},
        "elections:detail": {"org_id": b, "election_id": e},
        "elections:edit": {"org_id": b, "election_id": e},
        "elections:step": {"org_id": b, "election_id": e, "code": "decide"},
        "elections:nominations": {"org_id": b, "election_id": e},
        "elections:preliminary": {"org_id": b, "election_id": e},
        "elections:review": {"org_id": b, "election_id": e},
        "elections:meeting": {"org_id": b, "election_id": e},
        "elections:round": {"org_id": b, "election_id": e},
        "elections:posts": {"org_id": b, "election_id": e},
        "elections:install": {"org_id": b, "election_id": e},
        "elections:document": {"org_id": b, "election_id": e, "kind": "request"},
    }
