PUBLIC = {"core:login", "core:logout", "core:healthz", "orgs:start", "core:notifications"}  # own data only


def cases(cast):
    return {"orgs:audit_log": {"org_id": cast.branch.pk}}
