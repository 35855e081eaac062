PUBLIC: set[str] = set()


def cases(cast):
    # The table is maintained on the committee; on the cast's branch everyone but the district admin is
    # refused (the outsider cannot see the branch at all).
    return {"workdays:holidays": {"org_id": cast.branch.pk}}
