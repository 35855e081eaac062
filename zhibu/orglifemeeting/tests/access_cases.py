import datetime as dt

from zhibu.core import clock

PUBLIC: set[str] = set()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_cycle(cast, *, planned: dt.date | None = None, **kwargs):
    from zhibu.orglifemeeting import services

    today = clock.today()
    planned = planned or today + dt.timedelta(days=20)
    return services.start_cycle(
        actor=cast.secretary,
        branch=cast.branch,
        year=planned.year,
        topic="年度组织生活会",
        planned_date=planned,
        **kwargs,
    )


def cases(cast):
    from zhibu.orglifemeeting import services

    cycle = make_cycle(cast)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("材料.png", PNG, content_type="image/png")
    material = services.save_material(actor=cast.secretary, cycle=cycle, kind="committee", upload=upload)
    b, c = cast.branch.pk, cycle.pk
    return {
        "orglifemeeting:index": {"org_id": b},
        "orglifemeeting:new": {"org_id": b},
        "orglifemeeting:cycle": {"org_id": b, "cycle_id": c},
        "orglifemeeting:edit": {"org_id": b, "cycle_id": c},
        "orglifemeeting:step": {"org_id": b, "cycle_id": c, "code": "study"},
        "orglifemeeting:ready": {"org_id": b, "cycle_id": c},
        "orglifemeeting:talks": {"org_id": b, "cycle_id": c},
        "orglifemeeting:material": {"org_id": b, "cycle_id": c, "kind": "committee"},
        "orglifemeeting:material_file": {"org_id": b, "cycle_id": c, "material_id": material.pk},
        "orglifemeeting:opinion": {"org_id": b, "cycle_id": c},
        "orglifemeeting:meeting": {"org_id": b, "cycle_id": c},
        "orglifemeeting:note": {"org_id": b, "cycle_id": c, "person_id": cast.member_person.pk},
        "orglifemeeting:problem_new": {"org_id": b, "cycle_id": c},
        "orglifemeeting:raise": {"org_id": b, "cycle_id": c},
        "orglifemeeting:report": {"org_id": b, "cycle_id": c},
    }
