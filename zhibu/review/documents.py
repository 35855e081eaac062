"""The papers of 民主评议党员, through the one document layer (zhibu.core.documents, zhibu.core.xlsx):
票码条 (one-time codes with QR codes, to cut), 民主测评表 (blank and filled with the tally), 测评汇总表
(.xlsx), 评议情况报告 and 优秀党员公示 (.docx), and the district grid (.xlsx)."""

from __future__ import annotations

import datetime as dt
import io
import struct
import zlib

from docx.shared import Mm

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, RECORD, SIZE_4, SIZE_S4, Doc, cn_date, official_name
from zhibu.core.xlsx import Col, new_workbook, sheet_title, workbook_bytes, write_sheet
from zhibu.review import rules, selectors
from zhibu.review.models import MASSES, Review

PUBLICITY_DAYS = 5  # 公示 period (local practice, at least 5 working days is usual)


# --- QR codes as PNG (no imaging library needed) --------------------------------------------------


def qr_png(url: str, scale: int = 6, border: int = 2) -> bytes:
    """A black-and-white PNG of the QR code for `url` (qrcode's matrix, written with zlib)."""
    import qrcode

    qr = qrcode.QRCode(border=border, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix) * scale
    raw = bytearray()
    for row in matrix:
        line = bytearray([0])  # filter: none
        for cell in row:
            line += (b"\x00" if cell else b"\xff") * scale
        raw += bytes(line) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(
        b"IEND", b""
    )


def slips_docx(review: Review, pairs: list[tuple[str, str]], link_of) -> bytes:
    """票码条: one slip per code (kind, code) with its QR code and link; cut along the lines. The codes
    are printed here and nowhere else (only their hashes are stored)."""
    from zhibu.review.services import format_code

    branch = official_name(review.branch.name)
    doc = Doc(kind=RECORD, title=f"{review}测评票码", creator=branch, created=clock.now(), subject="民主测评票码")
    doc.title(f"{review}测评票码")
    doc.para("每人一张，凭票码在手机上无记名测评，每张票码只能使用一次。测评结束后未使用的票码作废。", indent=False,
             size=SIZE_4)
    for n, (kind, code) in enumerate(pairs, 1):
        doc.cut_line()
        url = link_of(code)
        table = doc.document.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(url)), width=Mm(30))
        who = "群众代表" if kind == MASSES else "党员"
        doc.cell(right, f"{branch}\n{review}民主测评（{who}）第{n}张\n票码：{format_code(code)}\n扫码或打开：{url}",
                 size=SIZE_S4)
    doc.cut_line()
    return doc.to_bytes()


# --- 民主测评表 -----------------------------------------------------------------------------------


def form_docx(review: Review, summary: selectors.Summary, *, filled: bool) -> bytes:
    """民主测评表: member × grade, 预备党员 marked 不定等次. Blank (to tick), or filled with the tally."""
    branch = official_name(review.branch.name)
    title = f"{review}测评表" + ("（汇总）" if filled else "")
    doc = Doc(kind=RECORD, title=title, creator=branch, created=clock.now(), subject="民主测评表")
    doc.title(title)
    doc.para(f"{branch}　　测评日期：{cn_date(review.held_on)}", indent=False, size=SIZE_4)
    header = ("序号", "姓名", "党小组", *rules.GRADES, "未填")
    rows = [header]
    tally = summary.result.tally
    for n, r in enumerate(summary.rows, 1):
        group = r.person.group.name if r.person.group_id else ""
        if r.status == rules.PROBATIONARY:
            rows.append((str(n), r.person.name, group, rules.UNGRADED_LABEL, "", "", "", ""))
        elif r.excluded:
            rows.append((str(n), r.person.name, group, "不计入应到会", "", "", "", ""))
        elif filled:
            counts = tally.get(str(r.person.pk), rules.empty_counts())
            rows.append((str(n), r.person.name, group, *(str(counts[g]) for g in rules.GRADES), str(counts[rules.BLANK])))
        else:
            rows.append((str(n), r.person.name, group, "", "", "", "", ""))
    doc.table(rows, (12, 24, 28, 20, 20, 20, 20, 16), header=True, size=SIZE_S4, align_center=(0, 3, 4, 5, 6, 7))
    if filled:
        p = summary.poll
        doc.para(f"发出测评票{p.issued}张，收回{p.returned}张。"
                 + (f"群众代表测评票发出{p.masses_issued}张，收回{p.masses_returned}张（单独统计）。" if p.masses_issued else ""),
                 indent=False, size=SIZE_4, before=6)
    else:
        doc.para("填写说明：在每人一行对应等次下打“√”，每人只选一个等次；预备党员参加评议，不确定等次。本表不署名。",
                 indent=False, size=SIZE_4, before=6)
    return doc.to_bytes()


def tally_xlsx(review: Review, summary: selectors.Summary) -> bytes:
    """测评汇总表: per member the votes per grade, blanks, the grade given; issued/returned."""
    wb = new_workbook(creator=review.branch.name, title=f"{review}测评汇总表")
    ws = wb.create_sheet(sheet_title("测评汇总"))
    cols = [Col("序号", 6, "number"), Col("姓名", 12), Col("党小组", 14)]
    cols += [Col(f"{g}（票）", 10, "number") for g in rules.GRADES] + [Col("未填（票）", 10, "number"), Col("评定等次", 12)]
    tally = summary.result.tally
    rows = []
    for n, r in enumerate(summary.rows, 1):
        group = r.person.group.name if r.person.group_id else ""
        if not r.gradable:
            label = rules.UNGRADED_LABEL if r.status == rules.PROBATIONARY else "不计入应到会"
            rows.append([n, r.person.name, group, None, None, None, None, None, label])
            continue
        c = tally.get(str(r.person.pk), rules.empty_counts())
        rows.append([n, r.person.name, group, *(c[g] for g in rules.GRADES), c[rules.BLANK], r.grade or ""])
    p = summary.poll
    cap = "不设上限" if summary.result.excellent_max is None else f"{summary.result.excellent_max}名"
    write_sheet(
        ws,
        cols,
        rows,
        title=f"{review.branch.name}{review}测评汇总表",
        subtitles=[f"发出测评票{p.issued}张，收回{p.returned}张；正式党员（计入基数）{summary.result.base}名，"
                   f"优秀比例上限{rules.ratio_label(review.cap_ratio)}，即{cap}"],
        notes=[f"群众代表测评票发出{p.masses_issued}张，收回{p.masses_returned}张，单独统计。"] if p.masses_issued else [],
        signatures=("计票人", "监票人", "支部书记"),
    )
    if "Sheet" in wb.sheetnames:
        del wb["Sheet"]
    return workbook_bytes(wb)


# --- report and 公示 -------------------------------------------------------------------------------


def report_title(review: Review) -> str:
    return f"关于开展{review}情况的报告"


def report_docx(review: Review, summary: selectors.Summary, followups: dict, *, upper_name: str = "",
                date: dt.date | None = None) -> bytes:
    branch = official_name(review.branch.name)
    doc = Doc(kind=OUTWARD, title=report_title(review), creator=branch, created=clock.now(), subject="民主评议情况报告")
    doc.title(report_title(review))
    if upper_name:
        doc.para(f"{official_name(upper_name)}：", indent=False)
    counts = summary.counts()
    probationary = sum(1 for r in summary.rows if r.status == rules.PROBATIONARY)
    excluded = [r for r in summary.rows if r.excluded]
    together = "，与组织生活会合并召开" if review.with_orglife else ""
    doc.para(
        f"根据《中国共产党党员教育管理工作条例》第十八条和上级党组织要求，{branch}于{cn_date(review.held_on)}"
        f"召开党员大会开展{review}{together}。现将有关情况报告如下。"
    )
    doc.heading1("一、基本情况")
    doc.para(
        f"支部共有党员{len(summary.rows)}名，其中正式党员{len(summary.rows) - probationary}名、预备党员{probationary}名。"
        f"参加等次评定的正式党员{summary.result.base}名"
        + (f"，{len(excluded)}名党员经批准不计入应到会人数" if excluded else "")
        + "。预备党员参加评议，不确定等次。"
    )
    doc.heading1("二、评议过程")
    doc.para("评议按照学习教育、个人自评、党员互评、民主测评、组织评定的程序进行。"
             + ("个人自评和党员互评在党小组内进行。" if review.per_group else ""))
    p = summary.poll
    if p.poll is not None:
        doc.para(f"民主测评采用无记名方式，发出测评票{p.issued}张，收回{p.returned}张"
                 + (f"；群众代表测评票发出{p.masses_issued}张，收回{p.masses_returned}张" if p.masses_issued else "") + "。")
    doc.heading1("三、评定结果")
    cap = "不设比例上限" if summary.result.excellent_max is None else (
        f"优秀比例上限为{rules.ratio_label(review.cap_ratio)}（{rules.ROUNDING_LABELS[review.rounding]}），即不超过"
        f"{summary.result.excellent_max}名"
    )
    doc.para(f"支部{cap}。评定优秀{counts[rules.EXCELLENT]}名、合格{counts[rules.QUALIFIED]}名、"
             f"基本合格{counts[rules.BASIC]}名、不合格{counts[rules.UNQUALIFIED]}名。")
    rows = [("等次", "人数", "处理")]
    for g in rules.GRADES:
        rows.append((g, str(counts[g]), rules.TREATMENT[g]))
    doc.table(rows, (40, 30, 80), header=True, size=SIZE_S4, align_center=(0, 1))
    excellent = [r.person.name for r in summary.rows if r.gradable and r.grade == rules.EXCELLENT]
    if excellent:
        doc.para(f"评为优秀的党员：{'、'.join(excellent)}。", before=6)
    doc.heading1("四、后续处置")
    negatives = [r for r in summary.rows if r.gradable and r.grade in (rules.BASIC, rules.UNQUALIFIED)]
    if not negatives:
        doc.para("本次评议无基本合格、不合格党员。")
    for r in negatives:
        f = followups.get(r.person.pk)
        if f is None:
            doc.para(f"{r.person.name}（{r.grade}）：处置意见待定。")
            continue
        text = f"{r.person.name}（{r.grade}）：{f.get_action_display()}"
        if f.deadline:
            text += f"，改正期限至{cn_date(f.deadline)}"
        if f.help_plan:
            text += f"，帮扶措施：{f.help_plan}"
        if f.motion_id:
            text += f"，党员大会表决{'通过' if f.motion.passed else '未通过'}"
        text += "，已办结" if f.done_on else "，正在办理"
        doc.para(text + "。")
    doc.closing(branch, date or (review.finalised_at.date() if review.finalised_at else review.held_on))
    return doc.to_bytes()


def notice_docx(review: Review, summary: selectors.Summary, *, date: dt.date | None = None) -> bytes:
    """优秀党员 公示."""
    branch = official_name(review.branch.name)
    title = f"关于{review.year}年度优秀党员评定结果的公示"
    doc = Doc(kind=OUTWARD, title=title, creator=branch, created=clock.now(), subject="优秀党员公示")
    doc.title(title)
    start = date or (review.finalised_at.date() if review.finalised_at else clock.today())
    names = [r.person.name for r in summary.rows if r.gradable and r.grade == rules.EXCELLENT]
    doc.para(f"经个人自评、党员互评、民主测评和支部组织评定，{branch}拟评定以下{len(names)}名同志为{review.year}年度优秀党员：")
    doc.para("、".join(names) if names else "（无）", align="center")
    doc.para(
        f"现予公示，公示期{PUBLICITY_DAYS}个工作日（自{cn_date(start)}起）。公示期间，如有不同意见，"
        "可通过来信、来电或当面反映等方式向支部委员会或上级党组织反映。反映问题应实事求是，以真实姓名反映的将予以保密。"
    )
    doc.closing(branch, start)
    return doc.to_bytes()


def district_xlsx(org, grid: selectors.Grid) -> bytes:
    wb = new_workbook(creator=org.name, title=f"{grid.year}年度民主评议党员情况")
    ws = wb.create_sheet(sheet_title("民主评议"))
    cols = [Col("序号", 6, "number"), Col("党支部", 30), Col("状态", 10), Col("完成期限", 14, "date"),
            Col("已完成步骤", 10, "number")] + [Col(g, 8, "number") for g in rules.GRADES]
    rows = [
        [n, r.name, r.status_label, r.deadline, r.steps_done, *(r.counts[g] for g in rules.GRADES)]
        for n, r in enumerate(grid.rows, 1)
    ]
    rows.append(["", "合计", "", None, None, *(grid.totals[g] for g in rules.GRADES)])
    summary = "，".join(f"{selectors.STATUS_LABELS[s]}{n}个" for s, n in grid.by_status.items())
    write_sheet(ws, cols, rows, title=f"{org.name}{grid.year}年度民主评议党员情况", subtitles=[summary], total_rows=1)
    if "Sheet" in wb.sheetnames:
        del wb["Sheet"]
    return workbook_bytes(wb)
