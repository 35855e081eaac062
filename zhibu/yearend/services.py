"""Every write of 年终材料: keyword-only, durable where the pages call them, audited in the same
transaction. The pack itself is built by a background job (zhibu.core.jobs) running `build_pack`,
which only reads.

The pack (.zip):
    工作总结（初稿）.docx        — written from the year's records (selectors.facts)
    <app's verbose name>/<file>   — every 台账 from `zhibu.<app>.yearend.documents(branch, year)`
    材料目录.xlsx                 — file, source, count
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock, jobs
from zhibu.core.hooks import app_label, app_modules
from zhibu.core.models import Job
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.yearend import documents, rules, selectors
from zhibu.yearend.audit_actions import Action
from zhibu.yearend.models import Submission

log = logging.getLogger(__name__)

BUILD_FUNC = "zhibu.yearend.services.build_pack"


def pack_key(branch_id: int, year: int) -> str:
    return f"yearend:{branch_id}:{year}"


def key_prefix(branch_id: int) -> str:
    return f"yearend:{branch_id}:"


def summary_filename(branch_name: str, year: int) -> str:
    return rules.safe_name(f"{branch_name}{year}年度{rules.SUMMARY_NAME}（初稿）") + ".docx"


def pack_filename(branch_name: str, year: int) -> str:
    return rules.safe_name(f"{branch_name}{year}年度年终材料") + ".zip"


def _source_name(module) -> str:
    label = app_label(module)
    if label in rules.SOURCE_NAMES:
        return rules.SOURCE_NAMES[label]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def build_pack(progress, *, branch_id: int, year: int) -> tuple[str, bytes]:
    """The job function (zhibu.core.jobs): every hook's 台账, the 工作总结 draft and the index, zipped.
    A hook that fails is logged and named in the index instead of stopping the pack."""
    branch = Organisation.objects.get(pk=branch_id, kind=OrgKind.BRANCH)
    hooks = [m for m in app_modules("yearend", exclude=("yearend",)) if hasattr(m, "documents")]
    total = len(hooks) + 2
    files: list[tuple[str, str, bytes]] = []  # (path, source, content)
    failed: list[str] = []
    used: set[str] = set()

    def unique(path: str) -> str:
        stem, dot, ext = path.rpartition(".")
        candidate, n = path, 2
        while candidate in used:
            candidate = f"{stem}（{n}）{dot}{ext}" if dot else f"{path}（{n}）"
            n += 1
        used.add(candidate)
        return candidate

    progress(0, total, "正在整理工作总结所需的数据")
    facts = selectors.facts(branch, year, clock.today())
    summary = documents.summary_docx(facts)
    files.append((unique(summary_filename(branch.name, year)), rules.SUMMARY_NAME, summary))
    for done, module in enumerate(hooks, start=1):
        source = _source_name(module)
        progress(done, total, f"正在整理{source}")
        try:
            produced = list(module.documents(branch, year))
        except Exception:  # one app's failure must not lose the others' 台账
            log.exception("yearend: %s.documents failed for branch %s year %s", module.__name__, branch_id, year)
            failed.append(source)
            continue
        folder = rules.safe_name(source)
        for name, content in produced:
            files.append((unique(f"{folder}/{rules.safe_name(name)}"), source, content))
    progress(total - 1, total, "正在生成材料目录")
    entries = [(path, source, documents.count_of(path, content), len(content)) for path, source, content in files]
    entries += [(f"（{source}的台账未能生成，请在该栏目中导出）", source, 0, 0) for source in failed]
    index = documents.index_xlsx(branch.name, year, entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(rules.safe_name(f"{rules.INDEX_NAME}-{branch.name}{year}年度") + ".xlsx", index)
        for path, _source, content in files:
            archive.writestr(path, content)
    progress(total, total, "正在保存")
    return pack_filename(branch.name, year), buffer.getvalue()


@transaction.atomic(durable=True)
def start_build(*, actor, branch: Organisation, year: int) -> tuple[Job, bool]:
    """Start building the pack (or find the build already running: a second click shows it)."""
    job, started = jobs.start(
        key=pack_key(branch.pk, year), func=BUILD_FUNC, arguments={"branch_id": branch.pk, "year": year}, actor=actor
    )
    if started:
        audit.record(
            actor=actor,
            action=Action.BUILD,
            obj=job,
            organisation=branch,
            object_repr=f"{year}年年终材料",
            changes={"年度": [None, year]},
        )
    return job, started


def _replace_summary(pack: bytes, summary: bytes) -> bytes:
    """The pack with the secretary's edited 工作总结 in place of the draft (same name)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pack)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if "/" not in info.filename and info.filename.endswith(f"{rules.SUMMARY_NAME}（初稿）.docx"):
                info_name = info.filename.replace("（初稿）", "")
                target.writestr(info_name, summary)
            else:
                target.writestr(info, data)
    return out.getvalue()


@transaction.atomic(durable=True)
def submit(
    *, actor, branch: Organisation, year: int, job: Job, summary: bytes | None = None, note: str = ""
) -> Submission:
    """Report a built pack to the district: who, when, which pack (SHA-256, size). With `summary`, the
    edited 工作总结 replaces the draft in the submitted pack. The same pack twice is refused."""
    if job.key != pack_key(branch.pk, year):
        raise ValidationError("材料包与支部、年度不符。", code="wrong_pack")
    content = jobs.read_result(job)
    if content is None:
        raise ValidationError("材料包尚未生成完成或已不存在，请重新生成。", code="no_pack")
    if summary is not None:
        content = _replace_summary(content, summary)
    digest = hashlib.sha256(content).hexdigest()
    earlier = Submission.objects.filter(branch=branch, year=year, sha256=digest).first()
    if earlier is not None:
        raise ValidationError(
            f"这份材料已于{earlier.submitted_at.astimezone(clock.TZ):%Y-%m-%d %H:%M}报送，无需重复报送。",
            code="duplicate",
        )
    sub = Submission(
        branch=branch,
        year=year,
        filename=pack_filename(branch.name, year),
        sha256=digest,
        size=len(content),
        summary_edited=summary is not None,
        note=(note or "").strip()[:300],
        job=job,
        submitted_by=actor,
        submitted_at=clock.now(),
    )
    sub.file.save(sub.filename, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            sub.save()
    except IntegrityError:  # the same pack reported at the same instant
        sub.file.delete(save=False)
        raise ValidationError("这份材料已经报送，无需重复报送。", code="duplicate") from None
    audit.record(
        actor=actor,
        action=Action.SUBMIT,
        obj=sub,
        organisation=branch,
        object_repr=str(sub),
        changes={
            "年度": [None, year],
            "SHA-256": [None, digest],
            "大小": [None, len(content)],
            "工作总结已修改": [None, summary is not None],
        },
    )
    return sub
