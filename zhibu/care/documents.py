"""The 政治生日 greeting card (.docx through the one document layer)."""

from __future__ import annotations

import datetime as dt

from zhibu.care import rules
from zhibu.core import clock
from zhibu.core.documents import RECORD, Doc, cn_date, official_name


def card_title(person, year: int) -> str:
    return f"{person.name}同志政治生日贺卡"


def birthday_card(person, branch_name: str, year: int, signed: dt.date | None = None) -> bytes:
    branch = official_name(branch_name)
    day = rules.political_birthday(person.admitted_on, year)
    years = year - person.admitted_on.year
    doc = Doc(kind=RECORD, title=card_title(person, year), creator=branch, created=clock.now(), subject="政治生日")
    doc.title("政治生日贺卡")
    doc.para(f"{person.name}同志：", indent=False)
    doc.para(
        f"{cn_date(person.admitted_on)}，您在党旗下庄严宣誓，光荣地加入了中国共产党。"
        f"{cn_date(day)}是您入党{years}周年的政治生日。"
    )
    doc.para(
        "值此政治生日之际，党支部向您致以诚挚的祝贺！希望您不忘初心、牢记使命，重温入党誓词，"
        "坚定理想信念，立足岗位作贡献，在教书育人中发挥先锋模范作用。"
    )
    doc.heading1("入党誓词")
    doc.para(
        "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，"
        "保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。"
    )
    doc.closing(branch, signed or day)
    return doc.to_bytes()
