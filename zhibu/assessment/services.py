"""Every write of the district assessment: keyword-only, durable entry points for the views, audited
(zhibu.core.audit) in the same transaction. Refusals are `ValidationError`s with a Chinese message
and a `code`; nothing is written then. Who may do what is checked by the views (zhibu.orgs.access):
the rubric, manual scores, grades and findings by the district admin; the 述职 report by the branch.

Findings become 整改 items through zhibu.rectify.services.raise_item (source 述职评议), the one function
that app offers others."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from zhibu.assessment import rules
from zhibu.assessment.audit_actions import Action
from zhibu.assessment.hooks import KNOWN_LABELS, measures
from zhibu.assessment.models import EVIDENCE_TYPES, ManualScore, Report, Rubric, RubricItem
from zhibu.core import audit, clock
from zhibu.core.uploads import UploadError, check_zip_bomb, read_limited
from zhibu.orgs.models import Organisation, OrgKind

_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8",),
    "jpeg": (b"\xff\xd8",),
    "docx": (b"PK",),
}
RUBRIC_FIELDS = ["advanced", "backward"]
ITEM_FIELDS = ["group", "label", "points", "measure", "guidance", "order"]


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    if field:
        return ValidationError({field: ValidationError(message, code=code)})
    return ValidationError(message, code=code)


def _rule(exc: rules.RuleError, field: str | None = None) -> ValidationError:
    return _error(exc.message, exc.code, field)


def check_upload(upload, *, field: str = "upload") -> tuple[bytes, str, str]:
    """(content, content type, cleaned file name) of an allowed file: pdf, docx, jpg or png, content
    matching the extension, within the upload limit."""
    name = (getattr(upload, "name", "") or "").replace("/", "_").replace("\\", "_")[-150:]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise _error("只能上传 PDF、Word（.docx）或图片（JPG、PNG）。", "upload_type", field)
    try:
        data = read_limited(upload, settings.UPLOAD_MAX_BYTES)
        if ext == "docx":
            check_zip_bomb(data)
    except UploadError as exc:
        raise _error(str(exc), "upload_invalid", field) from None
    if not data:
        raise _error("文件为空。", "upload_empty", field)
    if not data.startswith(_SIGNATURES[ext]):
        raise _error("文件内容与扩展名不符，请检查后重新上传。", "upload_content_mismatch", field)
    return data, EVIDENCE_TYPES[ext], name


def _check_district(district: Organisation) -> None:
    if district.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise _error("考核评分细则由上级党组织制定。", "not_district")


def _check_measure(key: str) -> None:
    if key and key not in KNOWN_LABELS and key not in measures():
        raise _error("未知的数据来源。", "unknown_measure", "measure")


@transaction.atomic(durable=True)
def create_rubric(*, actor, district: Organisation, year: int, default: bool = True) -> Rubric:
    """The district's rubric for `year`; `default`: the 五好 model of rules2.md §13 (5 × 20 points)."""
    _check_district(district)
    if not 2000 <= int(year) <= 2100:
        raise _error("年份应在2000—2100年之间。", "year_range")
    if Rubric.objects.filter(district=district, year=year).exists():
        raise _error(f"{year}年度的考核评分细则已经制定。", "rubric_exists")
    rubric = Rubric.objects.create(district=district, year=year, title=f"{year}年度党支部工作考核评分细则")
    if default:
        RubricItem.objects.bulk_create(
            [
                RubricItem(
                    rubric=rubric,
                    group=group,
                    label=label,
                    points=Decimal(points),
                    measure=key,
                    guidance=guidance,
                    order=i,
                )
                for i, (group, label, points, key, guidance) in enumerate(rules.DEFAULT_ITEMS, start=1)
            ]
        )
    audit.record(
        actor=actor,
        action=Action.RUBRIC_CREATE,
        obj=rubric,
        organisation=district,
        changes={"year": year, "default": default},
    )
    return rubric


@transaction.atomic(durable=True)
def set_thresholds(*, actor, rubric: Rubric, advanced: int, backward: int) -> dict:
    try:
        rules.check_thresholds(advanced, backward)
    except rules.RuleError as exc:
        raise _rule(exc) from None
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    with audit.updating(
        rubric, actor=actor, fields=RUBRIC_FIELDS, action=Action.RUBRIC_UPDATE, organisation=rubric.district
    ) as update:
        rubric.advanced, rubric.backward = advanced, backward
    return update.changes


def _check_item(item: RubricItem) -> None:
    if not (item.group or "").strip() or not (item.label or "").strip():
        raise _error("请填写类别和考核内容。", "item_blank")
    if not (Decimal("0") < Decimal(item.points) <= Decimal("100")):
        raise _error("分值应在0.1—100分之间。", "points_range", "points")
    _check_measure(item.measure)
    clash = RubricItem.objects.filter(rubric_id=item.rubric_id, group=item.group, label=item.label).exclude(pk=item.pk)
    if clash.exists():
        raise _error("本类别中已有同名的考核内容。", "item_duplicate", "label")


@transaction.atomic(durable=True)
def add_item(
    *, actor, rubric: Rubric, group: str, label: str, points: Decimal, measure: str = "", guidance: str = ""
) -> RubricItem:
    last = RubricItem.objects.filter(rubric=rubric).order_by("-order").values_list("order", flat=True).first() or 0
    item = RubricItem(
        rubric=rubric,
        group=group.strip(),
        label=label.strip(),
        points=points,
        measure=measure or "",
        guidance=(guidance or "").strip(),
        order=last + 1,
    )
    _check_item(item)
    item.save()
    audit.record(
        actor=actor,
        action=Action.ITEM_ADD,
        obj=item,
        organisation=rubric.district,
        changes={"points": str(points), "measure": measure or "手工评分"},
    )
    return item


@transaction.atomic(durable=True)
def update_item(*, actor, item: RubricItem, data: dict) -> dict:
    item = RubricItem.objects.select_for_update().select_related("rubric__district").get(pk=item.pk)
    with audit.updating(
        item, actor=actor, fields=ITEM_FIELDS, action=Action.ITEM_UPDATE, organisation=item.rubric.district
    ) as update:
        for name in ("group", "label", "points", "measure", "guidance"):
            if name in data:
                setattr(item, name, data[name] if name == "points" else (data[name] or "").strip())
        _check_item(item)
    return update.changes


@transaction.atomic(durable=True)
def delete_item(*, actor, item: RubricItem) -> None:
    district = item.rubric.district
    audit.record(
        actor=actor,
        action=Action.ITEM_DELETE,
        obj=item,
        organisation=district,
        changes={"label": item.label, "points": str(item.points)},
    )
    files = [s.file for s in ManualScore.objects.filter(item=item) if s.file]
    item.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


def _store(field_file, name: str, data: bytes) -> None:
    field_file.save(name, ContentFile(data), save=False)


def _forget_on_commit(field_file, old_name: str) -> None:
    """The replaced file is deleted once the new one is committed (never before: a rollback keeps it)."""
    if old_name and old_name != field_file.name:
        storage = field_file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


@transaction.atomic(durable=True)
def set_manual_score(
    *, actor, item: RubricItem, branch: Organisation, points: Decimal, note: str = "", upload=None
) -> ManualScore:
    """The district's score of a manual item for a branch (again: replaces it), evidence optional."""
    if item.measure:
        raise _error("该项目按记录自动计算，不需要手工评分。", "item_derived")
    if branch.kind != OrgKind.BRANCH or not branch.path.startswith(item.rubric.district.path):
        raise _error("只能为本级下属的党支部评分。", "branch_elsewhere")
    try:
        rules.check_manual_points(points, item.points)
    except rules.RuleError as exc:
        raise _rule(exc, "points") from None
    content = check_upload(upload) if upload else None
    score = ManualScore.objects.select_for_update().filter(item=item, branch=branch).first()
    old = None if score is None else str(score.points)
    if score is None:
        score = ManualScore(item=item, branch=branch)
    old_file = score.file.name if score.file else ""
    score.points, score.note = points, (note or "").strip()[:300]
    score.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    score.entered_at = clock.now()
    if content is not None:
        data, score.content_type, score.file_name = content
        _store(score.file, score.file_name, data)
        _forget_on_commit(score.file, old_file)
    try:
        score.save()
        audit.record(
            actor=actor,
            action=Action.MANUAL_SCORE,
            obj=item,
            organisation=branch,
            changes={"points": [old, str(points)], "file": score.file_name if content else ""},
        )
    except Exception:
        if content is not None:
            score.file.delete(save=False)
        raise
    return score


def report_for(branch: Organisation, year: int) -> Report | None:
    return Report.objects.filter(branch=branch, year=year).first()


@transaction.atomic(durable=True)
def upload_report(*, actor, branch: Organisation, year: int, upload) -> Report:
    """书记抓党建述职: the branch's report for `year` (a new upload replaces the earlier one)."""
    if branch.kind != OrgKind.BRANCH:
        raise _error("述职报告由党支部上传。", "not_branch")
    if not upload:
        raise _error("请选择述职报告文件。", "upload_missing", "upload")
    data, content_type, name = check_upload(upload)
    report = Report.objects.select_for_update().filter(branch=branch, year=year).first() or Report(
        branch=branch, year=year
    )
    old_file = report.file.name if report.file else ""
    _store(report.file, name, data)
    report.file_name, report.content_type = name, content_type
    report.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    report.uploaded_at = clock.now()
    try:
        report.save()
        audit.record(actor=actor, action=Action.REPORT_UPLOAD, obj=report, organisation=branch, changes={"file": name})
    except Exception:
        report.file.delete(save=False)
        raise
    _forget_on_commit(report.file, old_file)
    return report


@transaction.atomic(durable=True)
def grade_report(*, actor, branch: Organisation, year: int, grade: str, comment: str = "") -> Report:
    """述职评议: the district's grade 好/较好/一般/差 (a branch that uploaded nothing may be graded too,
    e.g. after an oral 述职)."""
    if grade not in rules.GRADE_LABELS:
        raise _error("请选择评议等次。", "grade_unknown", "grade")
    report = Report.objects.select_for_update().filter(branch=branch, year=year).first() or Report(
        branch=branch, year=year
    )
    old = report.grade
    report.grade, report.comment = grade, (comment or "").strip()[:500]
    report.graded_by = actor if getattr(actor, "is_authenticated", False) else None
    report.graded_at = clock.now()
    report.save()
    audit.record(
        actor=actor,
        action=Action.REPORT_GRADE,
        obj=report,
        organisation=branch,
        changes={"grade": [rules.GRADE_LABELS.get(old, ""), rules.GRADE_LABELS[grade]]},
    )
    return report


@transaction.atomic(durable=True)
def raise_finding(
    *,
    actor,
    district: Organisation,
    branch: Organisation,
    year: int,
    problem: str,
    measures: str = "",
    deadline: dt.date | None = None,
):
    """A finding of the assessment (述职评议) becomes a 整改 item of the branch."""
    from zhibu.rectify import services as rectify

    item = rectify.raise_item(
        actor=actor,
        branch=branch,
        source="report_review",
        problem=problem,
        measures=measures,
        deadline=deadline,
        raised_by_org=district,
        link=report_for(branch, year),
    )
    audit.record(actor=actor, action=Action.FINDING, obj=item, organisation=branch, changes={"problem": problem[:200]})
    return item
