PUBLIC = {"orgs:me"}  # shows only the signed-in user's own records


def cases(cast):
    b, p = cast.branch.pk, cast.member_person.pk
    return {
        "orgs:home": {"org_id": b},
        "orgs:org_create": {"org_id": b},
        "orgs:person_create": {"org_id": b},
        "orgs:person": {"org_id": b, "person_id": p},
        "orgs:person_edit": {"org_id": b, "person_id": p},
        "orgs:person_account": {"org_id": b, "person_id": p},
        "orgs:person_reveal": {"org_id": b, "person_id": p, "field": "phone"},
        "orgs:transfer_out": {"org_id": b, "person_id": p},
        "orgs:transfers": {"org_id": b},
        "orgs:transfer_in": {"org_id": b},
        "orgs:positions": {"org_id": b},
        "orgs:roster_template": {"org_id": b},
        "orgs:roster_export": {"org_id": b},
        "orgs:roster_import": {"org_id": b},
    }
