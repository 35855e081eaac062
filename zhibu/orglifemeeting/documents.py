"""The report to the upper committee after the 组织生活会 (an outward document, GB/T 9704 layout through
the one document layer): attendance, topics, problems and measures, 落款 of the branch."""

from __future__ import annotations

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, SIZE_S4, Doc, cn_date, official_name
from zhibu.orglife.selectors import attendance_counts, attendance_rows
from zhibu.orglifemeeting import rules
from zhibu.orglifemeeting.models import Cycle


def report_title(cycle: Cycle) -> str:
    return f"关于召开{cycle}情况的报告"


def build_report(cycle: Cycle, *, problems, notes, opinions: int, upper_name: str = "") -> bytes:
    branch = official_name(cycle.branch.name)
    meeting = cycle.meeting
    doc = Doc(
        kind=OUTWARD, title=report_title(cycle), creator=branch, created=clock.now(), subject="组织生活会情况报告"
    )
    doc.title(report_title(cycle))
    if upper_name:
        doc.para(f"{official_name(upper_name)}：", indent=False)
    fmt = dict(rules.FORMATS).get(cycle.format, "")
    if meeting is not None:
        rows = attendance_rows(meeting)
        counts = attendance_counts(rows)
        when = cn_date(meeting.date)
        doc.para(
            f"根据上级党组织通知要求，{branch}于{when}以{fmt or '党员大会'}形式召开{cycle}，主题为“{cycle.topic}”。"
            f"应到{counts['should']}人，实到{counts['present']}人"
            + (f"，上级党组织{cycle.upper_attendee}到会指导" if cycle.upper_attendee else "")
            + "。现将有关情况报告如下。"
        )
        absent = [a.person.name for a in rows if a.status != "present" and not a.excluded]
        if absent:
            doc.para(f"未到会人员：{'、'.join(absent)}。")
    else:
        doc.para(f"{branch}计划于{cn_date(cycle.planned_date)}召开{cycle}，主题为“{cycle.topic}”。")
    doc.heading1("一、会前准备情况")
    doc.para(
        f"会前组织集中学习，广泛征求意见建议{opinions}条，开展谈心谈话，支部委员会和支部委员撰写对照检查材料，"
        "党员撰写党性分析材料和个人问题清单。"
    )
    doc.heading1("二、会议主要议程")
    agenda = [
        "支部书记代表支部委员会报告工作，开展对照检查",
        "支部委员逐一开展对照检查，党员逐一进行党性分析",
        "开展批评和自我批评",
        "研究制定整改措施",
    ]
    for n, line in enumerate(agenda, 1):
        doc.para(f"{n}. {line}。")
    if cycle.secretary_report:
        doc.para(f"书记报告要点：{cycle.secretary_report}")
    if notes:
        doc.para(f"会上，{len(notes)}名同志开展了批评和自我批评，做到了红红脸、出出汗。")
    doc.heading1("三、查摆的问题和整改措施")
    if problems:
        rows = [("序号", "问题", "整改措施", "责任人", "整改时限")]
        for n, p in enumerate(problems, 1):
            rows.append(
                (
                    str(n),
                    p.problem,
                    p.measures,
                    p.responsible.name if p.responsible_id else "",
                    cn_date(p.deadline) if p.deadline else p.get_kind_display(),
                )
            )
        doc.table(rows, (12, 50, 50, 20, 25), header=True, size=SIZE_S4, align_center=(0, 3))
    else:
        doc.para("（尚未登记问题）")
    doc.para("下一步，支部将逐项抓好整改落实，整改情况纳入整改台账，及时报告。", before=8)
    doc.closing(branch, meeting.date if meeting is not None else None)
    return doc.to_bytes()
