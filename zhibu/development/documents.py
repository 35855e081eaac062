"""发展党员 documents generated from .docx templates with {{placeholder}} fields (python-docx), on the one
document layer (zhibu.core.documents).

Which template: the branch's own (DocTemplate), else the nearest higher organisation's (the district's),
else the shipped default in `templates_docx/<kind>.docx` (written by `python -m
zhibu.development.make_templates`; built in code when the file is missing).

Placeholders are Chinese (`{{姓名}}`, `{{确定积极分子日期}}` …, listed with their meaning in
PLACEHOLDERS and on the 文书模板 page); the English names of earlier templates (`{{name}}` …) are kept
as aliases. A placeholder Word split over several runs is still found (the paragraph's text is matched,
the replacement goes into the run where it starts). An unknown placeholder is left as it is, so a
province's template shows what the app does not know.

A document is generated only when the record supports it (`refusals`): a 公示 for someone not yet
eligible, a 转正公示 without an admission meeting, a 决议 without the meeting's votes are refused with
the missing step named; the branch secretary may override with a reason (`record_override`, audited).
Dates come from the record (the 公示's start, the meeting's date), written 2026年10月8日; the 落款 date
may be changed before download.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from django.db import transaction
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhibu.core import audit, clock
from zhibu.core.documents import (
    H1_FONT,
    LINE,
    OUTWARD,
    RECORD,
    SIZE_3,
    SIZE_S4,
    Doc,
    cn_date,
    committee_name,
    official_name,
    tidy,
)
from zhibu.core.documents.layout import display_width, stamp_properties
from zhibu.development import rules, timeline
from zhibu.development.models import Candidate, DocKind, DocTemplate
from zhibu.workdays.calendar import WorkdayCalendar

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+?)\s*\}\}")
PUBLICITY_WORKDAYS = 5  # 细则(2026) 第13条: 公示 ≥5 working days, start and end inclusive (development.md)
MAX_BALLOTS = 300

# --------------------------------------------------------------------------------------------------
# Placeholders: (Chinese name, English alias of earlier templates, meaning)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    name: str
    alias: str
    meaning: str


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("姓名", "name", "发展对象姓名"),
    Placeholder("性别", "gender", "性别"),
    Placeholder("出生日期", "birth_date", "出生日期（如1990年5月8日）"),
    Placeholder("出生年月", "birth_month", "出生年月（如1990年5月）"),
    Placeholder("学历", "education", "学历"),
    Placeholder("工作单位", "unit", "工作单位（支部所在单位）"),
    Placeholder("职务", "post", "岗位或职务"),
    Placeholder("基本情况", "summary", "一段话：姓名、性别、出生年月、学历、单位职务及入党经历（空项自动略去）"),
    Placeholder("党组织", "org", "党组织全称，如“中共××幼儿园党支部”"),
    Placeholder("支部名称", "branch", "党支部名称（不含“中共”）"),
    Placeholder("支部委员会", "committee", "如“中共××幼儿园党支部委员会”"),
    Placeholder("支部书记", "secretary", "支部书记姓名"),
    Placeholder("申请入党日期", "application_date", "递交入党申请书日期"),
    Placeholder("谈话日期", "talk_date", "党组织派人谈话的日期"),
    Placeholder("谈话人", "talker", "谈话人"),
    Placeholder("谈话内容", "notes", "谈话记录中登记的谈话内容"),
    Placeholder("确定积极分子日期", "activist_date", "确定为入党积极分子的日期"),
    Placeholder("培养联系人", "contacts", "培养联系人（1至2名）"),
    Placeholder("确定发展对象日期", "candidate_date", "支部委员会研究确定为发展对象的日期"),
    Placeholder("入党介绍人", "sponsors", "入党介绍人（2名）"),
    Placeholder("考察记录", "assessments", "每半年一次的培养教育考察记录"),
    Placeholder("思想汇报", "thought_reports", "收到思想汇报的日期"),
    Placeholder("公示开始日期", "start", "公示开始日期"),
    Placeholder("公示结束日期", "end", "公示结束日期（按工作日计算，首尾两日计入）"),
    Placeholder("公示工作日", "workdays", "公示的工作日数"),
    Placeholder("受理单位", "office", "受理反映的党组织"),
    Placeholder("联系人", "contact_person", "受理反映的联系人"),
    Placeholder("联系电话", "contact_phone", "受理反映的联系电话（支部设置中的联系电话，未设置时留空手填）"),
    Placeholder("接收预备党员日期", "admitted_on", "支部大会讨论接收为预备党员的日期"),
    Placeholder("预备期满日期", "probation_end", "预备期满的日期"),
    Placeholder("转正申请日期", "full_application_date", "提出转正申请的日期"),
    Placeholder("会议日期", "meeting_date", "支部党员大会的日期"),
    Placeholder("表决事项", "motion", "如“接收××同志为中共预备党员”"),
    Placeholder("应到人数", "should_attend", "应到会有表决权的党员人数"),
    Placeholder("实到人数", "present", "实到会有表决权的党员人数"),
    Placeholder("赞成票", "for", "赞成票数"),
    Placeholder("反对票", "against", "反对票数"),
    Placeholder("弃权票", "abstain", "弃权票数"),
    Placeholder("发出票数", "ballots_issued", "发出的表决票张数（实到会有表决权的党员人数）"),
    Placeholder("收回票数", "ballots_returned", "收回的表决票张数（赞成、反对、弃权票之和）"),
    Placeholder("表决方式", "ballot_method", "无记名投票或举手表决"),
    Placeholder("表决结果", "result", "通过或未通过"),
    Placeholder("决议", "resolution", "支部党员大会决议的内容"),
    Placeholder("落款单位", "signer", "落款的党组织全称"),
    Placeholder("落款日期", "today", "落款日期（默认为公示开始或会议的日期，下载前可修改）"),
)
ALIASES = {p.alias: p.name for p in PLACEHOLDERS}

# --------------------------------------------------------------------------------------------------
# Placeholder replacement
# --------------------------------------------------------------------------------------------------


def _paragraphs(container) -> Iterator:
    for p in container.paragraphs:
        yield p
    for table in getattr(container, "tables", []):
        for row in table.rows:
            for cell in row.cells:
                yield from _paragraphs(cell)


def all_paragraphs(document) -> Iterator:
    yield from _paragraphs(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part is not None and not part.is_linked_to_previous:
                yield from _paragraphs(part)


def replace_in_paragraph(paragraph, context: Mapping[str, Any]) -> None:
    runs = list(paragraph.runs)
    if not runs:
        return
    texts = [r.text for r in runs]
    full = "".join(texts)
    if "{{" not in full:
        return
    bounds, pos = [], 0
    for t in texts:
        bounds.append((pos, pos + len(t)))
        pos += len(t)
    changed = set()
    for m in reversed(list(PLACEHOLDER.finditer(full))):
        key = m.group(1)
        if key not in context:
            continue
        value = "" if context[key] is None else str(context[key])
        start, end = m.span()
        first = next(i for i, (s, e) in enumerate(bounds) if s <= start < e)
        last = next(i for i, (s, e) in enumerate(bounds) if s < end <= e)
        for i in range(first, last + 1):
            s, _e = bounds[i]
            a, b = max(start, s) - s, min(end, bounds[i][1]) - s
            texts[i] = texts[i][:a] + (value if i == first else "") + texts[i][b:]
            changed.add(i)
    for i in changed:
        runs[i].text = texts[i]


def with_aliases(context: Mapping[str, Any]) -> dict[str, Any]:
    """The Chinese names and their English aliases, both mapping to the same values."""
    out = dict(context)
    for alias, name in ALIASES.items():
        if name in context and alias not in out:
            out[alias] = context[name]
    return out


def render(template: bytes, context: Mapping[str, Any], *, copies: int = 1, title: str = "",
           creator: str = "") -> bytes:
    """Fill a template; `copies` > 1 repeats the body separated by cut lines (ballots, several a page)."""
    document = docx.Document(io.BytesIO(template))
    if copies > 1:
        _repeat_body(document, min(copies, MAX_BALLOTS))
    # what users typed gets the documents' punctuation too (full-width next to Chinese, 《》)
    ctx = {k: tidy(v) if isinstance(v, str) else v for k, v in with_aliases(context).items()}
    for p in all_paragraphs(document):
        replace_in_paragraph(p, ctx)
    _relayout_closing(document, str(ctx.get("落款单位") or ""), str(ctx.get("落款日期") or ""))
    stamp_properties(document, title=title, creator=creator or str(ctx.get("党组织") or ""), created=clock.now())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _relayout_closing(document, organisation: str, date_text: str) -> None:
    """Centre the 落款's organisation over its date once both are filled in (GB/T 9704 §7.3.5.1)."""
    if not organisation or not date_text:
        return
    paras = [p for p in document.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.RIGHT]
    org_p = next((p for p in paras if p.text.strip() == organisation), None)
    date_p = next((p for p in paras if p.text.strip() == date_text), None)
    if org_p is None or date_p is None:
        return
    w_org, w_date = display_width(organisation), display_width(date_text)
    if w_org >= w_date:
        org_indent, date_indent = 2.0, 2 + (w_org - w_date) / 2
    else:
        date_indent, org_indent = 4.0, 4 + (w_date - w_org) / 2
    org_p.paragraph_format.right_indent = Pt(SIZE_3 * org_indent)
    date_p.paragraph_format.right_indent = Pt(SIZE_3 * date_indent)


CUT_MARK = "沿此线剪开"


def _repeat_body(document, copies: int) -> None:
    """The body `copies` times; a cut line between copies, each copy kept on one page (several a page)."""
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    originals = [el for el in body if el.tag != qn("w:sectPr")]
    cut = next((el for el in originals if el.tag == qn("w:p") and CUT_MARK in "".join(el.itertext())), None)
    if cut is not None:  # the template carries its own cut line: repeat it between copies only
        originals.remove(cut)
        body.remove(cut)
    else:
        scratch = Doc(kind=RECORD, title="", creator="", created=clock.now())
        scratch.cut_line()
        cut = scratch.document.element.body.find(qn("w:p"))
    for _ in range(copies - 1):
        for el in [copy.deepcopy(cut), *(copy.deepcopy(o) for o in originals)]:
            if sect is not None:
                sect.addprevious(el)
            else:
                body.append(el)


def placeholders(template: bytes) -> set[str]:
    document = docx.Document(io.BytesIO(template))
    return {m.group(1) for p in all_paragraphs(document) for m in PLACEHOLDER.finditer(p.text)}


# --------------------------------------------------------------------------------------------------
# Shipped defaults (built on the document layer; `make_templates` writes them to templates_docx/)
# --------------------------------------------------------------------------------------------------

LABEL_W = 40  # mm: label columns 30–40 mm, so dates and eight-character labels of 小四 never wrap
WIDTH = 156  # text width of a record page (210 − 28 − 26 mm)
SIGN = "签字：　　　　　　　　　　年　月　日"


TEMPLATE_CREATOR = "发展党员文书模板"  # replaced by the branch's full name when a document is generated


def _grid(doc: Doc, rows, heights=None):
    """Label/value rows; a 4-tuple is two pairs on one row, a 2-tuple spans the row."""
    value_w = (WIDTH - 2 * LABEL_W) / 2
    widths = (LABEL_W, value_w, LABEL_W, value_w)
    table = doc.table([(*r, "", "") if len(r) == 2 else r for r in rows], widths, label_columns=(0, 2),
                      size=SIZE_S4, heights_mm=heights or [10] * len(rows))
    for i, r in enumerate(rows):
        if len(r) == 2:
            merged = table.cell(i, 1).merge(table.cell(i, 3))
            for p in merged.paragraphs[1:]:
                if not p.text:
                    p._p.getparent().remove(p._p)
    return table


def _signature_cell(doc: Doc, cell, who: str) -> None:
    """The last line of a cell: '谈话人签字：　　　　年　月　日' at the right."""
    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.text_run(p, f"{who}{SIGN}", size=SIZE_S4)


def _talk(doc: Doc) -> None:
    rows = [("姓名", "{{姓名}}", "性别", "{{性别}}"), ("出生年月", "{{出生年月}}", "学历", "{{学历}}"),
            ("工作单位及职务", "{{工作单位}}{{职务}}"), ("申请入党日期", "{{申请入党日期}}"),
            ("谈话日期", "{{谈话日期}}", "谈话人", "{{谈话人}}"), ("谈话内容", "{{谈话内容}}"),
            ("谈话对象意见", ""), ("谈话人意见", "")]
    table = _grid(doc, rows, heights=[9, 9, 9, 9, 9, 120, 20, 20])
    _signature_cell(doc, table.cell(6, 1), "谈话对象")
    _signature_cell(doc, table.cell(7, 1), "谈话人")


def _assessment(doc: Doc) -> None:
    rows = [("姓名", "{{姓名}}", "性别", "{{性别}}"), ("出生年月", "{{出生年月}}", "学历", "{{学历}}"),
            ("工作单位及职务", "{{工作单位}}{{职务}}"),
            ("确定积极分子日期", "{{确定积极分子日期}}"), ("培养联系人", "{{培养联系人}}"),
            ("培养教育考察情况", "{{考察记录}}"), ("思想汇报", "{{思想汇报}}"),
            ("培养联系人意见", ""), ("支部意见", "")]
    table = _grid(doc, rows, heights=[10, 10, 10, 10, 10, 50, 15, 35, 60])
    _signature_cell(doc, table.cell(7, 1), "培养联系人")
    _signature_cell(doc, table.cell(8, 1), "支部书记")


def _publicity(doc: Doc) -> None:
    doc.para("经{{支部委员会}}研究，拟将{{姓名}}同志确定为发展对象，现将有关情况公示如下：")
    doc.heading1("一、基本情况")
    doc.para("{{基本情况}}")
    doc.heading1("二、培养联系人")
    doc.para("{{培养联系人}}。")
    doc.heading1("三、公示时间")
    doc.para("{{公示开始日期}}至{{公示结束日期}}（{{公示工作日}}个工作日）。")
    doc.heading1("四、受理方式")
    doc.para("公示期间，党员和群众可通过来信、来电、来访等方式向党支部反映情况。反映问题应实事求是，"
             "以个人名义反映的请署真实姓名，以单位名义反映的请加盖公章。")
    doc.para("受理单位：{{受理单位}}")
    doc.para("联系人：{{联系人}}　　联系电话：{{联系电话}}")
    doc.closing("{{落款单位}}", None)
    _date_line(doc)


def _full_publicity(doc: Doc) -> None:
    doc.para("{{姓名}}同志于{{接收预备党员日期}}经支部党员大会讨论通过接收为中共预备党员，预备期至{{预备期满日期}}期满。"
             "本人于{{转正申请日期}}提出转正申请，经{{支部委员会}}研究，拟提交支部党员大会讨论其转正问题，"
             "现将有关情况公示如下：")
    doc.heading1("一、基本情况")
    doc.para("{{基本情况}}")
    doc.heading1("二、入党介绍人")
    doc.para("{{入党介绍人}}。")
    doc.heading1("三、公示时间")
    doc.para("{{公示开始日期}}至{{公示结束日期}}（{{公示工作日}}个工作日）。")
    doc.heading1("四、受理方式")
    doc.para("公示期间，党员和群众可通过来信、来电、来访等方式向党支部反映情况。反映问题应实事求是，"
             "以个人名义反映的请署真实姓名。")
    doc.para("受理单位：{{受理单位}}")
    doc.para("联系人：{{联系人}}　　联系电话：{{联系电话}}")
    doc.closing("{{落款单位}}", None)
    _date_line(doc)


def _date_line(doc: Doc) -> None:
    p = doc.para(indent=False, align="right")
    p.paragraph_format.right_indent = Pt(SIZE_3 * 4)
    doc.text_run(p, "{{落款日期}}")


def _resolution(doc: Doc) -> None:
    doc.para("{{会议日期}}，{{党组织}}召开支部党员大会，讨论{{表决事项}}的问题。应到会有表决权的党员{{应到人数}}人，"
             "实到会有表决权的党员{{实到人数}}人。会议采取{{表决方式}}方式表决，赞成{{赞成票}}票，反对{{反对票}}票，"
             "弃权{{弃权票}}票，表决结果：{{表决结果}}。")
    doc.para("支部党员大会决议：{{决议}}")
    p = doc.para(indent=False, align="right", before=LINE)
    p.paragraph_format.right_indent = Pt(SIZE_3 * 4)
    doc.text_run(p, "支部书记：{{支部书记}}")
    doc.closing("{{落款单位}}", None, before=0)
    _date_line(doc)


def _ballot(doc: Doc) -> None:
    p = doc.para(indent=False, align="center", line=22)
    doc.text_run(p, "{{党组织}}党员大会　{{会议日期}}", size=SIZE_S4)
    p = doc.para(indent=False, align="center", line=24, after=4)
    doc.text_run(p, "关于{{表决事项}}的表决", font=H1_FONT, size=SIZE_S4 + 2)
    table = doc.table([("同意", "不同意", "弃权"), ("", "", "")], (40, 40, 40), header=True, size=SIZE_S4,
                      heights_mm=[8, 18], repeat_header=False)
    p = doc.para(indent=False, line=18, before=4)
    doc.text_run(p, "说明：本次表决采取无记名投票方式。请在所选栏内画“○”，只能选一项；多选或不选视为弃权。", size=9)
    # one ballot never splits over two pages: every paragraph (in the table too) keeps with the next
    cells = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for para in [*doc.document.paragraphs, *cells]:
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.keep_together = True
    doc.document.paragraphs[-1].paragraph_format.keep_with_next = False


def _tally(doc: Doc) -> None:
    doc.para("会议：{{党组织}}党员大会", indent=False)
    doc.para("日期：{{会议日期}}", indent=False)
    doc.para("表决事项：{{表决事项}}", indent=False, after=LINE / 2)
    rows = [("应到会有表决权的党员", "{{应到人数}}人"), ("实到会有表决权的党员", "{{实到人数}}人"),
            ("发出票数", "{{发出票数}}张"), ("收回票数", "{{收回票数}}张"), ("赞成", "{{赞成票}}票"),
            ("反对", "{{反对票}}票"), ("弃权", "{{弃权票}}票"), ("表决方式", "{{表决方式}}"),
            ("表决结果", "{{表决结果}}"), ("监票人", ""), ("计票人", "")]
    table = doc.table(rows, (60, WIDTH - 60), label_columns=(0,), size=SIZE_S4, heights_mm=[10] * 9 + [18, 18])
    for i, who in ((9, "监票人"), (10, "计票人")):
        cell = table.cell(i, 1)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.text_run(cell.paragraphs[0], SIGN, size=SIZE_S4)
    doc.para("注：到会有表决权的党员超过应到会有表决权党员的半数，会议有效；赞成票超过应到会有表决权党员的半数，为通过。",
             indent=False, size=SIZE_S4, line=20, before=LINE / 2)


KIND_LAYOUT = {DocKind.PUBLICITY: OUTWARD, DocKind.FULL_PUBLICITY: OUTWARD, DocKind.RESOLUTION: OUTWARD}
BUILDERS: dict[str, tuple[str, Callable]] = {
    DocKind.TALK: ("入党申请人谈话记录", _talk),
    DocKind.ASSESSMENT: ("入党积极分子培养教育考察记录", _assessment),
    DocKind.PUBLICITY: ("关于拟将{{姓名}}同志确定为发展对象的公示", _publicity),
    DocKind.RESOLUTION: ("支部党员大会决议（摘要）", _resolution),
    DocKind.FULL_PUBLICITY: ("关于{{姓名}}同志预备党员转正的公示", _full_publicity),
    DocKind.BALLOT: ("表　决　票", _ballot),
    DocKind.TALLY: ("支部党员大会表决计票单", _tally),
}


def build_default(kind: str) -> bytes:
    title, fill = BUILDERS[kind]
    layout = KIND_LAYOUT.get(kind, RECORD)
    doc = Doc(kind=layout, title=DocKind(kind).label, creator=TEMPLATE_CREATOR, created=clock.now())
    if kind == DocKind.BALLOT:
        p = doc.title(title, after=2)
        p.paragraph_format.line_spacing = Pt(28)
    else:
        doc.title(title, after=LINE / 2 if layout == RECORD else LINE)
    fill(doc)
    return doc.to_bytes()


def default_template(kind: str) -> bytes:
    path = TEMPLATES_DIR / f"{kind}.docx"
    if path.exists():
        return path.read_bytes()
    return build_default(kind)


def resolve_template(org, kind: str) -> tuple[bytes, str]:
    """(template bytes, where from): the organisation's own, else the nearest ancestor's, else the
    shipped default. One query."""
    chain = list(reversed(org.ancestor_ids()))  # the org itself first, then upwards
    rows = {t.organisation_id: t for t in DocTemplate.objects.filter(organisation_id__in=chain, kind=kind)
            .select_related("organisation")}
    for org_id in chain:
        if org_id in rows:
            return bytes(rows[org_id].content), rows[org_id].organisation.name
    return default_template(kind), "系统默认"


# --------------------------------------------------------------------------------------------------
# When the record supports a document
# --------------------------------------------------------------------------------------------------

# The steps each document needs recorded, by kind (meetings: by the meeting it belongs to).
NEEDS: dict[str, tuple[str, ...]] = {
    DocKind.TALK: ("application",),
    DocKind.ASSESSMENT: ("activist",),
    DocKind.PUBLICITY: ("activist", "contacts", "candidate"),
    DocKind.FULL_PUBLICITY: ("admission_meeting", "approval", "full_application"),
}
MEETING_NEEDS: dict[str, tuple[str, ...]] = {
    "admission_meeting": ("candidate", rules.PUBLICITY, "sponsors", "pre_review"),
    "full_meeting": ("admission_meeting", "approval", "full_application"),
    # development.md: 延长预备期 (stage 16) comes before the 转正申请 (17); it needs no application.
    "extension": ("admission_meeting", "approval"),
    "cancellation": ("admission_meeting", "approval"),
}
MEETING_KINDS = (DocKind.BALLOT, DocKind.TALLY, DocKind.RESOLUTION)
# The step whose (non-overridden) rule violations, and those of every earlier step, stop the document.
CHECKED_STEP = {DocKind.PUBLICITY: rules.PUBLICITY, DocKind.FULL_PUBLICITY: "full_meeting"}


def _step_label(key: str) -> str:
    try:
        return rules.step_name(key)
    except KeyError:
        return key


def refusals(candidate: Candidate, kind: str, *, calendar: WorkdayCalendar, today: dt.date,
             meeting: str = "admission_meeting", start: dt.date | None = None) -> list[str]:
    """Why the record does not support this document yet (empty: it does), each naming the step."""
    steps = {s.step: s for s in candidate.steps.all()}
    out: list[str] = []
    needs = MEETING_NEEDS.get(meeting, ()) if kind in MEETING_KINDS else NEEDS.get(kind, ())
    for key in needs:
        if key not in steps:
            out.append(f"尚未登记“{_step_label(key)}”。")
    if kind == DocKind.RESOLUTION:
        record = steps.get(meeting)
        if record is None:
            out.append(f"尚未登记“{_step_label(meeting)}”的表决结果。")
        elif None in (record.should_attend, record.present, record.votes_for, record.against, record.abstain):
            out.append(f"“{_step_label(meeting)}”的应到、实到人数或票数尚未登记完整。")
    if kind == DocKind.PUBLICITY and "activist" in steps:
        begin = start or (steps[rules.PUBLICITY].date if rules.PUBLICITY in steps else today)
        activist = steps["activist"].date
        if begin < rules.add_years(activist, 1):
            out.append(f"确定为入党积极分子（{cn_date(activist)}）未满一年，{cn_date(rules.add_years(activist, 1))}"
                       "起方可确定为发展对象。")
    step = CHECKED_STEP.get(kind) or (meeting if kind in MEETING_KINDS else None)
    if step and not out:
        result = timeline.check(candidate, calendar=calendar, as_of=today)
        try:
            blocking = timeline.blocking(result, step, candidate.overrides.all())
        except (KeyError, ValueError):  # a step the order does not place: only the missing steps count
            blocking = []
        for v in blocking:
            if kind == DocKind.RESOLUTION and v.step == meeting:
                continue  # the meeting's own outcome is what the resolution records
            out.append(f"“{_step_label(v.step)}”不符合规定：{v.message}")
    return out


@transaction.atomic
def record_override(*, actor, candidate: Candidate, kind: str, reason: str, refused: list[str]) -> None:
    """The secretary generates a document the record does not support yet, with a reason (audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("放行须填写理由")
    audit.record(actor=actor, action="development.override", obj=candidate, organisation=candidate.branch,
                 object_repr=f"{candidate.person.name} {DocKind(kind).label}",
                 changes={"文书": [None, DocKind(kind).label], "理由": [None, reason], "未满足": [None, "；".join(refused)]})


# --------------------------------------------------------------------------------------------------
# Contexts
# --------------------------------------------------------------------------------------------------


def publicity_end(start: dt.date, calendar: WorkdayCalendar, days: int = PUBLICITY_WORKDAYS):
    """The last day of a 公示 of `days` working days counting `start` inclusive (development.md)."""
    return calendar.add_workdays(start - dt.timedelta(days=1), days)


MOTIONS = {
    "admission_meeting": "接收{name}同志为中共预备党员",
    "full_meeting": "{name}同志按期转为中共正式党员",
    "extension": "延长{name}同志的预备期",
    "cancellation": "取消{name}同志的预备党员资格",
}


def _secretary_name(branch) -> str:
    from zhibu.orgs.models import CommitteePosition, Position

    row = (CommitteePosition.objects.filter(branch=branch, position=Position.SECRETARY, ended_on__isnull=True)
           .select_related("person").order_by("-term_start").first())
    return row.person.name if row else ""


def _month(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月" if d else ""


def _summary(ctx: Mapping[str, Any], *, full: bool) -> str:
    """陈老师，女，1990年5月出生，大学本科学历，阳光幼儿园教师。2025年3月3日递交入党申请书，…… (empty parts left out)."""
    head = [ctx["姓名"], ctx["性别"]]
    head += [f"{ctx['出生年月']}出生"] if ctx["出生年月"] else []
    head += [f"{ctx['学历']}学历"] if ctx["学历"] else []
    head += [f"{ctx['工作单位']}{ctx['职务']}"] if ctx["工作单位"] or ctx["职务"] else []
    events = [(ctx["申请入党日期"], "递交入党申请书"), (ctx["确定积极分子日期"], "被确定为入党积极分子")]
    if full:
        events += [(ctx["确定发展对象日期"], "被确定为发展对象"), (ctx["接收预备党员日期"], "被接收为中共预备党员")]
    done = [f"{d}{what}" for d, what in events if d]
    return "，".join(x for x in head if x) + "。" + ("，".join(done) + "。" if done else "")


def default_signing_date(candidate: Candidate, kind: str, *, start: dt.date | None = None,
                         meeting: str = "admission_meeting", today: dt.date | None = None) -> dt.date | None:
    """The event a document is dated by: the 公示's start, the meeting's date; None for forms."""
    steps = {s.step: s for s in candidate.steps.all()}
    if kind == DocKind.PUBLICITY:
        return start or (steps[rules.PUBLICITY].date if rules.PUBLICITY in steps else today)
    if kind == DocKind.FULL_PUBLICITY:
        return start or (steps["full_application"].date if "full_application" in steps else today)
    if kind in MEETING_KINDS:
        return steps[meeting].date if meeting in steps else None
    return None


def context(candidate: Candidate, kind: str, *, calendar: WorkdayCalendar, today: dt.date,
            start: dt.date | None = None, meeting: str = "admission_meeting",
            signed_on: dt.date | None = None) -> dict[str, Any]:
    """Placeholder values (Chinese names; `with_aliases` adds the English ones) for one document."""
    person = candidate.person
    branch = candidate.branch
    steps = {s.step: s for s in candidate.steps.all()}
    links = list(candidate.links.all())

    def date_of(key):
        return steps[key].date if key in steps else None

    talk = steps.get("application_talk")
    org = official_name(branch.name)
    secretary = _secretary_name(branch)
    ctx: dict[str, Any] = {
        "姓名": person.name, "性别": person.gender, "出生日期": cn_date(person.birth_date),
        "出生年月": _month(person.birth_date), "学历": person.education, "职务": person.post,
        "工作单位": branch.unit, "党组织": org, "支部名称": branch.name, "支部委员会": committee_name(branch.name),
        "支部书记": secretary,
        "申请入党日期": cn_date(date_of("application")), "确定积极分子日期": cn_date(date_of("activist")),
        "确定发展对象日期": cn_date(date_of("candidate")),
        "谈话日期": cn_date(talk.date) if talk else "", "谈话人": talk.actor if talk else "",
        "谈话内容": talk.notes if talk else "",
        "培养联系人": "、".join(link.person.name for link in links if link.role == "contact"),
        "入党介绍人": "、".join(link.person.name for link in links if link.role == "sponsor"),
        "考察记录": "\n".join(f"{cn_date(a.date)}　{a.assessor}：{a.summary}".rstrip("：")
                          for a in candidate.assessments.all()),
        "思想汇报": "、".join(cn_date(t.received_on) for t in candidate.thought_reports.all()),
        "受理单位": org, "联系人": secretary,
        "联系电话": (branch.settings or {}).get("contact_phone", "") if isinstance(branch.settings, dict) else "",
        "落款单位": org,
        "落款日期": cn_date(signed_on or default_signing_date(candidate, kind, start=start, meeting=meeting, today=today)),
    }
    admitted = date_of("admission_meeting")
    ctx.update({"接收预备党员日期": cn_date(admitted),
                # the one derivation: an extension moves the end of 预备期
                "预备期满日期": cn_date(timeline.derive(candidate, calendar=calendar, as_of=today).probation_end
                                   if admitted else None),
                "转正申请日期": cn_date(date_of("full_application"))})
    ctx["基本情况"] = _summary(ctx, full=kind == DocKind.FULL_PUBLICITY)
    if kind in (DocKind.PUBLICITY, DocKind.FULL_PUBLICITY):
        begin = default_signing_date(candidate, kind, start=start, today=today) or today
        recorded = steps.get(rules.PUBLICITY) if kind == DocKind.PUBLICITY else None
        end = publicity_end(begin, calendar)
        end_date = recorded.end_date if recorded and recorded.end_date and not start else end.date
        ctx.update({"公示开始日期": cn_date(begin), "公示结束日期": cn_date(end_date), "公示工作日": PUBLICITY_WORKDAYS,
                    "start_iso": begin.isoformat(), "end_iso": end_date.isoformat(), "provisional": end.provisional})
    if kind in MEETING_KINDS:
        record = steps.get(meeting)
        motion = MOTIONS.get(meeting, MOTIONS["admission_meeting"]).format(name=person.name)
        ctx["表决事项"] = motion
        ctx["会议日期"] = cn_date(record.date) if record else ""

        def num(v):
            return "" if v is None else v

        ctx.update({
            "应到人数": num(record.should_attend) if record else "",
            "实到人数": num(record.present) if record else "",
            "赞成票": num(record.votes_for) if record else "",
            "反对票": num(record.against) if record else "",
            "弃权票": num(record.abstain) if record else "",
            "发出票数": num(record.present) if record else "",
            "收回票数": (sum(v for v in (record.votes_for, record.against, record.abstain))
                     if record and None not in (record.votes_for, record.against, record.abstain) else ""),
            "表决方式": ("无记名投票" if record and record.secret_ballot else
                     "举手表决" if record and record.secret_ballot is False else ""),
        })
        result = ""
        if record and record.votes_for is not None and record.should_attend and record.present is not None:
            passed = 2 * record.present > record.should_attend and 2 * record.votes_for > record.should_attend
            result = "通过" if passed else "未通过"
        ctx["表决结果"] = result
        ctx["决议"] = (f"同意{motion}。" if result == "通过" else f"{motion}的决议未获通过。" if result else "")
    return ctx


FILENAMES = {
    DocKind.TALK: "谈话记录", DocKind.ASSESSMENT: "培养考察记录", DocKind.PUBLICITY: "发展对象公示",
    DocKind.RESOLUTION: "支部大会决议摘要", DocKind.FULL_PUBLICITY: "转正公示", DocKind.BALLOT: "表决票",
    DocKind.TALLY: "计票单",
}


def generate(candidate: Candidate, kind: str, *, calendar: WorkdayCalendar, today: dt.date,
             start: dt.date | None = None, meeting: str = "admission_meeting", copies: int | None = None,
             signed_on: dt.date | None = None) -> tuple[str, bytes]:
    """(file name, .docx bytes) of one document for `candidate`; the caller checks `refusals` first."""
    template, _where = resolve_template(candidate.branch, kind)
    ctx = context(candidate, kind, calendar=calendar, today=today, start=start, meeting=meeting, signed_on=signed_on)
    n = 1
    if kind == DocKind.BALLOT:
        record = next((s for s in candidate.steps.all() if s.step == meeting), None)
        n = copies or (record.should_attend if record and record.should_attend else 0) or 1
    title = BUILDERS[kind][0].replace("{{姓名}}", candidate.person.name)
    filename = f"{candidate.person.name}-{FILENAMES[kind]}.docx"
    return filename, render(template, ctx, copies=n, title=title, creator=ctx["党组织"])
