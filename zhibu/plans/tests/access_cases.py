"""Access cases for every URL of the plans app (see zhibu/core/tests/test_access_all_urls.py).

The iCalendar feed is public by design: calendar apps cannot log in, the secret token in the URL is
the key. Its own tests (test_app_ical.py) check that a wrong, old or other branch's token is 404.
"""
PUBLIC = {"plans:ical", "plans:branch_ical"}  # token feeds: see test_app_ical.py, test_app_branch_feed.py


def cases(cast):
    from zhibu.plans import services

    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    item = services.add_item(actor=cast.secretary, plan=plan, months=[3], text="召开支委会")
    b, p, i = cast.branch.pk, plan.pk, item.pk
    return {
        "plans:index": {"org_id": b},
        "plans:create": {"org_id": b},
        "plans:copy": {"org_id": b},
        "plans:import": {"org_id": b},
        "plans:detail": {"org_id": b, "plan_id": p},
        "plans:year": {"org_id": b, "year": 2026},
        "plans:export_docx": {"org_id": b, "plan_id": p},
        "plans:add_missing": {"org_id": b, "plan_id": p},
        "plans:regenerate_token": {"org_id": b, "plan_id": p},
        "plans:item_add": {"org_id": b, "plan_id": p},
        "plans:item_edit": {"org_id": b, "plan_id": p, "item_id": i},
        "plans:item_action": {"org_id": b, "plan_id": p, "item_id": i},
        "plans:item_link": {"org_id": b, "plan_id": p, "item_id": i},
        "plans:branch_feed_regenerate": {"org_id": b},
    }
