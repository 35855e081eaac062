PUBLIC = {"core:login", "core:logout", "core:healthz", "core:home", "core:notifications"}  # own data only


def cases(cast):
    return {"core:audit_log": {"org_id": cast.branch.pk}}
