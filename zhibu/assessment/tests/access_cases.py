"""Every assessment URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py).
The district pages are asked for with the branch's id: a branch's people are refused or sent to
their branch page, never shown the district."""

from decimal import Decimal

PUBLIC: set[str] = set()

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_rubric(cast, year: int | None = None):
    """The district's default rubric for the cast's year (through the service, as a district would)."""
    from zhibu.assessment import services
    from zhibu.core import clock

    return services.create_rubric(actor=cast.district_admin, district=cast.district, year=year or clock.today().year)


def cases(cast):
    from django.core.files.base import ContentFile

    from zhibu.assessment.models import ManualScore, Report

    rubric = make_rubric(cast)
    manual = rubric.items.filter(measure="").first()
    score = ManualScore(
        item=manual,
        branch=cast.branch,
        points=Decimal("4"),
        note="事迹材料",
        file_name="佐证.png",
        content_type="image/png",
    )
    score.file.save("佐证.png", ContentFile(PNG), save=True)
    report = Report(branch=cast.branch, year=rubric.year, file_name="述职.png", content_type="image/png")
    report.file.save("述职.png", ContentFile(PNG), save=True)
    b = {"org_id": cast.branch.pk}
    return {
        "assessment:index": b,
        "assessment:rubric": b,
        "assessment:rubric_create": b,
        "assessment:thresholds": b,
        "assessment:item_add": b,
        "assessment:item_delete": {"org_id": cast.branch.pk, "item_id": manual.pk},
        "assessment:export": b,
        "assessment:dashboard": b,
        "assessment:branch": b,
        "assessment:manual": {"org_id": cast.branch.pk, "item_id": manual.pk},
        "assessment:evidence": {"org_id": cast.branch.pk, "score_id": score.pk},
        "assessment:report": b,
        "assessment:report_file": b,
        "assessment:grade": b,
        "assessment:finding": b,
    }
