"""The assessment results as .xlsx (zhibu.core.xlsx: A4, bold header, borders, repeated header):
one sheet of branches × items with the total, tier and 述职 grade; one sheet of the rubric with each
derived item's formula."""

from __future__ import annotations

from zhibu.assessment.selectors import Assessment
from zhibu.core import xlsx
from zhibu.core.xlsx import Col


def results_xlsx(result: Assessment) -> bytes:
    rubric = result.rubric
    assert rubric is not None
    wb = xlsx.new_workbook(creator=result.org.name, title=rubric.title)
    columns = [Col("序号", 6, "number"), Col("党支部", 28, wrap=True)]
    columns += [Col(f"{i.group}·{i.label}（{i.points}分）", 12, "number", wrap=True) for i in result.items]
    columns += [Col("总分", 9, "number"), Col("档次", 8), Col("述职评议", 10)]
    rows = []
    for n, row in enumerate(result.rows, start=1):
        rows.append(
            [n, row.name, *[float(s.points) for s in row.items], float(row.score), row.tier_label, row.grade_label]
        )
    notes = [
        f"满分{result.total}分；得分率不低于{rubric.advanced}%为先进，低于{rubric.backward}%为后进，其余为中间。",
        "按记录计算的项目取自各支部已登记的记录，不另行填报。",
    ]
    xlsx.write_sheet(
        wb.create_sheet("考核结果"),
        columns,
        rows,
        title=f"{result.org.name}{result.year}年度党支部工作考核结果",
        notes=notes,
        freeze_columns=2,
        landscape=True,
    )
    item_rows = []
    for item in result.items:
        m = result.measure_of(item)
        if not item.measure:
            source, formula = "手工评分", item.guidance
        elif m is None:
            source, formula = "按记录计算", "数据来源未启用，暂计0分"
        else:
            source, formula = f"按记录计算：{m.label}", m.formula
        item_rows.append([item.group, item.label, float(item.points), source, formula])
    xlsx.write_sheet(
        wb.create_sheet("评分细则"),
        [
            Col("类别", 12),
            Col("考核内容", 22, wrap=True),
            Col("分值", 8, "number"),
            Col("数据来源", 20, wrap=True),
            Col("计算方法", 60, wrap=True),
        ],
        item_rows,
        title=rubric.title,
    )
    return xlsx.workbook_bytes(wb)
