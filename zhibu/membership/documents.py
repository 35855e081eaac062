"""介绍信 (.docx through the one document layer): 党员组织关系介绍信 with its 回执 stub to cut off,
and the 临时介绍信 for 短期外出 (流动党员)."""

from __future__ import annotations

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, Doc, cn_date, official_name
from zhibu.membership.models import CaseKind, TransferCase


def letter_title(case: TransferCase) -> str:
    what = "临时介绍信" if case.kind == CaseKind.TEMPORARY else "组织关系介绍信"
    return f"{case.person.name}{what}{case.letter_number}"


def _month(day) -> str:
    return f"{day.year}年{day.month}月" if day else "　　年　　月"


def letter(case: TransferCase) -> bytes:
    person = case.person
    branch = official_name(case.branch.name)
    standing = "正式党员" if person.standing == "full" else "预备党员"
    issued = case.issued_on or clock.today()
    doc = Doc(kind=OUTWARD, title=letter_title(case), creator=branch, created=clock.now(), subject="组织关系")
    if case.kind == CaseKind.TEMPORARY:
        doc.title("中国共产党党员临时介绍信")
        doc.para(case.letter_number, indent=False, align="center")
        doc.para(f"{case.to_org}党组织：", indent=False)
        doc.para(
            f"兹介绍{person.name}同志（中共{standing}）因{case.reason}短期外出，请接洽，"
            "并请在其外出期间安排参加组织生活。"
        )
        if case.dues_paid_to:
            doc.para(f"该同志党费已交到{_month(case.dues_paid_to)}。")
        doc.para(f"（有效期{case.valid_days}天，至{cn_date(case.valid_until)}）")
        doc.closing(branch, issued)
        return doc.to_bytes()
    doc.title("中国共产党党员组织关系介绍信")
    doc.para(case.letter_number, indent=False, align="center")
    doc.para(f"{case.to_org}：", indent=False)
    p = doc.para(
        f"{person.name}同志（{person.gender or '　'}，{person.ethnicity or '　'}），系中共{standing}，身份证号码"
    )
    doc.blank_fill(p, 10)
    doc.text_run(p, f"，其党员组织关系由{case.branch.name}转到你处，请接洽。")
    doc.para(f"该同志党费已交到{_month(case.dues_paid_to)}。")
    doc.para(f"（有效期{case.valid_days}天，至{cn_date(case.valid_until)}）")
    doc.closing(branch, issued)
    doc.cut_line()
    doc.subtitle("中国共产党党员组织关系介绍信回执")
    doc.para(f"{branch}：", indent=False)
    doc.para(f"{case.letter_number}介绍信收悉，{person.name}同志的党员组织关系已转达我处，特此回复。")
    p = doc.para("接收党组织（盖章）：", indent=False)
    doc.blank_fill(p, 14)
    p = doc.para("接收日期：", indent=False)
    doc.blank_fill(p, 10)
    return doc.to_bytes()


def incoming_receipt_title(transfer) -> str:
    return f"{transfer.person.name}组织关系介绍信回执{transfer.letter_number}"


def incoming_receipt(transfer) -> bytes:
    """The 回执 a branch sends back for a 介绍信 from outside the district (an `orgs.Transfer` in),
    dated by the day the relation was received, not by the day it is printed."""
    person = transfer.person
    branch = official_name(transfer.branch.name)
    doc = Doc(
        kind=OUTWARD, title=incoming_receipt_title(transfer), creator=branch, created=clock.now(), subject="组织关系"
    )
    doc.title("中国共产党党员组织关系介绍信回执")
    doc.para(f"{transfer.other_org}：", indent=False)
    number = (
        f"{transfer.letter_number}号"
        if transfer.letter_number and not transfer.letter_number.endswith("号")
        else (transfer.letter_number or "")
    )
    doc.para(f"你处{number}介绍信收悉，{person.name}同志的党员组织关系已转达我处，特此回复。")
    if transfer.dues_paid_to:
        doc.para(f"该同志党费已交到{_month(transfer.dues_paid_to)}，此后由我处收缴。")
    doc.closing(branch, transfer.date)
    return doc.to_bytes()
