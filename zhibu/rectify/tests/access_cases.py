"""Every rectify URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

import datetime as dt

PUBLIC: set[str] = set()

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def cases(cast):
    from django.core.files.base import ContentFile

    from zhibu.rectify.models import EvidenceFile, Item, Source

    b = cast.branch.pk
    item = Item.objects.create(
        branch=cast.branch,
        source=Source.objects.get(code="self_check"),
        problem="学习记录不全",
        raised_on=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 2, 1),
        responsible=cast.member_person,
    )
    ev = EvidenceFile(item=item, name="佐证.png", content_type="image/png", size=len(PNG))
    ev.file.save("佐证.png", ContentFile(PNG), save=True)
    i = {"org_id": b, "item_id": item.pk}
    return {
        "rectify:index": {"org_id": b},
        "rectify:tasks": {"org_id": b},
        "rectify:people": {"org_id": b},
        "rectify:effects": {"org_id": b},
        "rectify:item_new": {"org_id": b},
        "rectify:item": i,
        "rectify:item_edit": i,
        "rectify:item_start": i,
        "rectify:item_note": i,
        "rectify:item_submit": i,
        "rectify:item_close": i,
        "rectify:item_send_back": i,
        "rectify:item_review": i,
        "rectify:evidence_file": {"org_id": b, "file_id": ev.pk},
        "rectify:export": {"org_id": b},
        "rectify:import": {"org_id": b},
        "rectify:district": {"org_id": b},
        "rectify:district_raise": {"org_id": b},
    }
