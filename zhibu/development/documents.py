"""Documents generated from .docx templates with {{placeholder}} fields (python-docx).

Which template: the branch's own (DocTemplate), else the nearest higher organisation's (the district's),
else the shipped default in `templates_docx/<kind>.docx` (written by `python -m
zhibu.development.make_templates`; built in code when the file is missing).

Placeholders are replaced inside runs; a placeholder that Word split over several runs is still found
(the text of the paragraph is matched, the replacement goes into the run where it starts). An unknown
placeholder is left as it is, so a province's template shows what the app does not know.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from zhibu.development import rules
from zhibu.development.models import Candidate, DocKind, DocTemplate
from zhibu.workdays.calendar import WorkdayCalendar

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_docx"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
PUBLICITY_WORKDAYS = 5  # 细则(2026) 第13条: 公示 ≥5 working days, start and end inclusive (development.md)
MAX_BALLOTS = 300

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


def render(template: bytes, context: Mapping[str, Any], *, copies: int = 1) -> bytes:
    """Fill a template; `copies` > 1 repeats the body on new pages (ballot sheets)."""
    document = docx.Document(io.BytesIO(template))
    if copies > 1:
        _repeat_body(document, min(copies, MAX_BALLOTS))
    for p in all_paragraphs(document):
        replace_in_paragraph(p, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _repeat_body(document, copies: int) -> None:
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    originals = [el for el in body if el.tag != qn("w:sectPr")]
    for _ in range(copies - 1):
        p, r, br = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        r.append(br)
        p.append(r)
        for el in [p, *(copy.deepcopy(o) for o in originals)]:
            if sect is not None:
                sect.addprevious(el)
            else:
                body.append(el)


def placeholders(template: bytes) -> set[str]:
    document = docx.Document(io.BytesIO(template))
    return {m.group(1) for p in all_paragraphs(document) for m in PLACEHOLDER.finditer(p.text)}


# --------------------------------------------------------------------------------------------------
# Shipped defaults (built in code; `make_templates` writes them to templates_docx/)
# --------------------------------------------------------------------------------------------------


def _new(title: str):
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    return document


def _table(document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def _right(document, text: str) -> None:
    p = document.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _talk(document) -> None:
    _table(document, [("谈话对象", "{{name}}"), ("性别", "{{gender}}"), ("出生日期", "{{birth_date}}"),
                      ("学历", "{{education}}"), ("工作单位及岗位", "{{unit}}{{post}}"),
                      ("递交入党申请书日期", "{{application_date}}"), ("谈话日期", "{{talk_date}}"),
                      ("谈话人", "{{talker}}"), ("谈话内容", "{{notes}}"), ("谈话对象签名", ""), ("谈话人签名", "")])
    document.add_paragraph("（依据：《中国共产党发展党员工作细则》第7条，党组织应当在收到入党申请书后一个月内派人同入党申请人谈话。）")
    _right(document, "中共{{branch}}")


def _assessment(document) -> None:
    _table(document, [("姓名", "{{name}}"), ("确定为入党积极分子日期", "{{activist_date}}"),
                      ("培养联系人", "{{contacts}}"), ("培养教育考察记录（每半年一次）", "{{assessments}}"),
                      ("思想汇报", "{{thought_reports}}"), ("支部意见", ""), ("支部书记签名", "")])
    _right(document, "中共{{branch}}　{{today}}")


def _publicity(document) -> None:
    document.add_paragraph(
        "经{{branch}}支部委员会研究，拟将{{name}}同志确定为发展对象，现将有关情况公示如下：")
    document.add_paragraph(
        "{{name}}，{{gender}}，{{birth_date}}出生，{{education}}学历，{{unit}}{{post}}。"
        "{{application_date}}递交入党申请书，{{activist_date}}被确定为入党积极分子。")
    document.add_paragraph("公示时间：{{start}}至{{end}}（{{workdays}}个工作日）。{{provisional_note}}")
    document.add_paragraph("公示期间，党员和群众可通过来信、来电、来访等方式向支部反映情况。反映问题应实事求是，"
                           "以个人名义反映的请署真实姓名。")
    document.add_paragraph("（依据：{{source}}）")
    _right(document, "中共{{branch}}")
    _right(document, "{{today}}")


def _resolution(document) -> None:
    document.add_paragraph("{{meeting_date}}，中共{{branch}}召开支部大会，讨论{{motion}}。")
    _table(document, [("应到会有表决权的党员", "{{should_attend}}"), ("实到会有表决权的党员", "{{present}}"),
                      ("赞成", "{{for}}"), ("反对", "{{against}}"), ("弃权", "{{abstain}}"),
                      ("表决方式", "{{ballot_method}}"), ("表决结果", "{{result}}")])
    document.add_paragraph("支部大会决议：{{resolution}}")
    _right(document, "中共{{branch}}（盖章）")
    _right(document, "支部书记：{{secretary}}　{{today}}")


def _full_publicity(document) -> None:
    document.add_paragraph("{{name}}同志于{{admitted_on}}经支部大会讨论通过接收为中共预备党员，预备期至{{probation_end}}期满。"
                           "本人已提出转正申请，经支部委员会研究，拟提交支部大会讨论其转正问题，现予以公示。")
    document.add_paragraph("公示时间：{{start}}至{{end}}（{{workdays}}个工作日）。{{provisional_note}}")
    document.add_paragraph("公示期间如有意见，请向支部反映。")
    _right(document, "中共{{branch}}")
    _right(document, "{{today}}")


def _ballot(document) -> None:
    document.add_paragraph("中共{{branch}}支部大会（{{meeting_date}}）")
    document.add_paragraph("关于{{motion}}的表决")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for i, label in enumerate(("同意", "不同意", "弃权")):
        table.rows[0].cells[i].text = label
        table.rows[1].cells[i].text = "　"
    document.add_paragraph("说明：本次表决采取无记名投票方式。请在所选栏内画“○”，只能选一项；多选或不选视为弃权。")


def _tally(document) -> None:
    document.add_paragraph("支部大会：{{meeting_date}}　议题：{{motion}}")
    _table(document, [("应到会有表决权的党员（人）", "{{should_attend}}"), ("实到会有表决权的党员（人）", "{{present}}"),
                      ("发出票数", "{{present}}"), ("赞成", "{{for}}"), ("反对", "{{against}}"), ("弃权", "{{abstain}}"),
                      ("结果（赞成票超过应到会有表决权党员半数为通过）", "{{result}}"), ("监票人", ""), ("计票人", "")])
    document.add_paragraph("（依据：《中国共产党支部工作条例（试行）》第11条；《中国共产党发展党员工作细则》第20条）")


BUILDERS: dict[str, tuple[str, Callable]] = {
    DocKind.TALK: ("入党申请人谈话记录", _talk),
    DocKind.ASSESSMENT: ("入党积极分子培养考察记录", _assessment),
    DocKind.PUBLICITY: ("发展对象公示", _publicity),
    DocKind.RESOLUTION: ("支部大会决议摘要", _resolution),
    DocKind.FULL_PUBLICITY: ("预备党员转正公示", _full_publicity),
    DocKind.BALLOT: ("表　决　票", _ballot),
    DocKind.TALLY: ("支部大会表决计票单", _tally),
}


def build_default(kind: str) -> bytes:
    title, fill = BUILDERS[kind]
    document = _new(title)
    fill(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


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
# Contexts
# --------------------------------------------------------------------------------------------------


def _d(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "____年__月__日"


def publicity_end(start: dt.date, calendar: WorkdayCalendar, days: int = PUBLICITY_WORKDAYS):
    """The last day of a 公示 of `days` working days counting `start` inclusive (development.md)."""
    return calendar.add_workdays(start - dt.timedelta(days=1), days)


MOTIONS = {"admission_meeting": "接收{name}同志为中共预备党员", "full_meeting": "{name}同志按期转为中共正式党员"}


def context(candidate: Candidate, kind: str, *, calendar: WorkdayCalendar, today: dt.date,
            start: dt.date | None = None, meeting: str = "admission_meeting") -> dict[str, Any]:
    """Placeholder values for one document of `candidate` (steps, links etc. prefetched or queried)."""
    person = candidate.person
    steps = {s.step: s for s in candidate.steps.all()}
    links = list(candidate.links.all())

    def date_of(key):
        return steps[key].date if key in steps else None

    ctx: dict[str, Any] = {
        "name": person.name, "gender": person.gender, "birth_date": _d(person.birth_date),
        "education": person.education, "post": person.post, "unit": candidate.branch.unit,
        "branch": candidate.branch.name, "today": _d(today),
        "application_date": _d(date_of("application")), "activist_date": _d(date_of("activist")),
        "talk_date": _d(date_of("application_talk")),
        "talker": steps["application_talk"].actor if "application_talk" in steps else "",
        "notes": steps["application_talk"].notes if "application_talk" in steps else "",
        "contacts": "、".join(link.person.name for link in links if link.role == "contact"),
        "sponsors": "、".join(link.person.name for link in links if link.role == "sponsor"),
        "assessments": "\n".join(f"{_d(a.date)} {a.assessor} {a.summary}".strip() for a in candidate.assessments.all())
        or "（暂无）",
        "thought_reports": "、".join(_d(t.received_on) for t in candidate.thought_reports.all()) or "（暂无）",
        "secretary": "",
        "provisional_note": "",
    }
    if kind in (DocKind.PUBLICITY, DocKind.FULL_PUBLICITY):
        key = rules.PUBLICITY if kind == DocKind.PUBLICITY else None
        recorded = steps.get(key) if key else None
        start = start or (recorded.date if recorded else today)
        end = publicity_end(start, calendar)
        ctx.update(start=_d(start), end=_d(end.date), workdays=PUBLICITY_WORKDAYS,
                   start_iso=start.isoformat(), end_iso=end.date.isoformat(),
                   source="《中国共产党发展党员工作细则》(2026) 第13条：公示时间不少于5个工作日")
        if end.provisional:
            ctx["provisional_note"] = "（截止日所在年度的节假日安排尚未录入，按周一至周五暂定，请核实。）"
        admitted = date_of("admission_meeting")
        ctx.update(admitted_on=_d(admitted), probation_end=_d(rules.add_years(admitted, 1) if admitted else None))
    if kind in (DocKind.BALLOT, DocKind.TALLY, DocKind.RESOLUTION):
        record = steps.get(meeting)
        ctx["motion"] = MOTIONS[meeting].format(name=person.name)
        ctx["meeting_date"] = _d(record.date if record else None)
        blank = "____"
        ctx.update({
            "should_attend": record.should_attend if record and record.should_attend is not None else blank,
            "present": record.present if record and record.present is not None else blank,
            "for": record.votes_for if record and record.votes_for is not None else blank,
            "against": record.against if record and record.against is not None else blank,
            "abstain": record.abstain if record and record.abstain is not None else blank,
            "ballot_method": "无记名投票" if record and record.secret_ballot else ("举手表决" if record and record.secret_ballot is False else blank),
        })
        result = ""
        if record and record.votes_for is not None and record.should_attend:
            passed = 2 * record.present > record.should_attend and 2 * record.votes_for > record.should_attend
            result = "通过" if passed else "未通过"
        ctx["result"] = result or blank
        ctx["resolution"] = (f"同意{ctx['motion']}。" if result == "通过" else
                             f"{ctx['motion']}的决议未获通过。" if result else blank)
    return ctx


FILENAMES = {
    DocKind.TALK: "谈话记录", DocKind.ASSESSMENT: "培养考察记录", DocKind.PUBLICITY: "发展对象公示",
    DocKind.RESOLUTION: "支部大会决议摘要", DocKind.FULL_PUBLICITY: "转正公示", DocKind.BALLOT: "表决票",
    DocKind.TALLY: "计票单",
}


def generate(candidate: Candidate, kind: str, *, calendar: WorkdayCalendar, today: dt.date,
             start: dt.date | None = None, meeting: str = "admission_meeting", copies: int | None = None
             ) -> tuple[str, bytes]:
    """(file name, .docx bytes) of one document for `candidate`."""
    template, _where = resolve_template(candidate.branch, kind)
    ctx = context(candidate, kind, calendar=calendar, today=today, start=start, meeting=meeting)
    n = 1
    if kind == DocKind.BALLOT:
        record = next((s for s in candidate.steps.all() if s.step == meeting), None)
        n = copies or (record.should_attend if record and record.should_attend else 0) or 1
    filename = f"{candidate.person.name}-{FILENAMES[kind]}.docx"
    return filename, render(template, ctx, copies=n)
