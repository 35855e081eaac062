"""The .xlsx files of 党内统计: the tables in their layout (one sheet per table) and the members in
the 全国党员管理信息系统 fields (for upload)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import xlsx
from zhibu.orgs.models import Organisation, Person
from zhibu.stats import rules


def period_label(on: dt.date, half: bool) -> str:
    return f"{on.year}年{'半年报' if half else '年报'}（截至{on.year}年{on.month}月{on.day}日）"


def tables_workbook(org: Organisation, report: rules.Report, *, half: bool) -> bytes:
    wb = xlsx.new_workbook(title=f"{org.name} 党内统计 {period_label(report.on, half)}")
    for table in rules.TABLES:
        unit = "个数" if table.subject == "organisations" else "人数"
        rows = [[("　　" * r.indent) + r.label, report.figure(table.key, r.key), r.source] for r in table.rows]
        xlsx.write_sheet(
            wb.create_sheet(xlsx.sheet_title(table.sheet)),
            [xlsx.Col("项目", 34), xlsx.Col(unit, 10, "number"), xlsx.Col("数据来源", 48, wrap=True)],
            rows,
            title=table.title,
            subtitles=[f"填报单位：{org.name}　　{period_label(report.on, half)}"],
            notes=[n for n in (table.note, "本表由系统根据党员、组织和发展党员记录自动生成，无需另行填报。") if n],
        )
    return xlsx.workbook_bytes(wb)


NATIONAL_COLUMNS = (
    xlsx.Col("序号", 6, "number"),
    xlsx.Col("姓名", 10),
    xlsx.Col("性别", 6),
    xlsx.Col("公民身份号码", 22, "code"),
    xlsx.Col("出生日期", 14, "date"),
    xlsx.Col("民族", 8),
    xlsx.Col("籍贯", 12),
    xlsx.Col("学历", 10),
    xlsx.Col("学位", 8),
    xlsx.Col("参加工作时间", 14, "date"),
    xlsx.Col("工作岗位", 10),
    xlsx.Col("职业类别", 16),
    xlsx.Col("人员类别", 10),
    xlsx.Col("入党时间", 14, "date"),
    xlsx.Col("转正时间", 14, "date"),
    xlsx.Col("入党时所在支部", 24),
    xlsx.Col("入党介绍人", 16),
    xlsx.Col("所在党支部", 24),
    xlsx.Col("联系电话", 14, "code"),
    xlsx.Col("家庭住址", 30),
    xlsx.Col("缺少的信息项", 30, wrap=True),
)


def members_workbook(
    branch: Organisation, people: list[Person], sponsors: dict[int, str], missing: dict[int, list[str]]
) -> bytes:
    rows = []
    for i, p in enumerate(people, start=1):
        rows.append(
            [
                i,
                p.name,
                p.gender,
                p.id_number,
                p.birth_date,
                p.ethnicity,
                p.native_place,
                p.education,
                p.get_degree_display() if p.degree else "",
                p.work_started_on,
                p.post,
                p.get_occupation_display() if p.occupation else "",
                p.get_standing_display(),
                p.admitted_on,
                p.full_on,
                p.joined_branch,
                p.sponsors or sponsors.get(p.pk, ""),
                branch.name,
                p.phone,
                p.home_address,
                "、".join(rules.NATIONAL_LABELS[m] for m in missing.get(p.pk, [])),
            ]
        )
    wb = xlsx.new_workbook(title=f"{branch.name} 党员信息")
    xlsx.write_sheet(
        wb.create_sheet("党员信息"),
        NATIONAL_COLUMNS,
        rows,
        title=f"{branch.name}党员信息（全国党员管理信息系统信息项）",
        notes=["含身份证号、手机号、家庭住址，请妥善保管，导入后删除；导出已记入操作日志。"],
        freeze_columns=2,
        landscape=True,
    )
    return xlsx.workbook_bytes(wb)
