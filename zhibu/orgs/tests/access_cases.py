PUBLIC = {"orgs:me", "orgs:password_change"}  # the signed-in user's own records and password


def cases(cast):
    b, p = cast.branch.pk, cast.member_person.pk
    pos = cast.member_person.positions.get().pk  # the 宣传委员 post
    return {
        "orgs:home": {"org_id": b},
        "orgs:panel": {"org_id": b, "app": "rectify"},
        "orgs:org_create": {"org_id": b},
        "orgs:person_create": {"org_id": b},
        "orgs:people": {"org_id": b},
        "orgs:person": {"org_id": b, "person_id": p},
        "orgs:password_reset": {"org_id": b, "person_id": p},
        "orgs:person_edit": {"org_id": b, "person_id": p},
        "orgs:person_account": {"org_id": b, "person_id": p},
        "orgs:person_reveal": {"org_id": b, "person_id": p, "field": "phone"},
        "orgs:transfer_out": {"org_id": b, "person_id": p},
        "orgs:transfers": {"org_id": b},
        "orgs:transfer_in": {"org_id": b},
        "orgs:positions": {"org_id": b},
        "orgs:position_edit": {"org_id": b, "position_id": pos},
        "orgs:position_remove": {"org_id": b, "position_id": pos},
        "orgs:groups": {"org_id": b},
        "orgs:group_edit": {"org_id": b, "group_id": cast.group.pk},
        "orgs:roster_template": {"org_id": b},
        "orgs:roster_export": {"org_id": b},
        "orgs:roster_import": {"org_id": b},
    }
