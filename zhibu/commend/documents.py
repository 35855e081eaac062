"""The 公示 of a commendation round (an outward document through the one document layer): the
awarded names per type with their branch, the publicity period, how to raise concerns, 落款."""

from __future__ import annotations

from zhibu.commend import rules
from zhibu.commend.models import Nomination, Round
from zhibu.core import clock
from zhibu.core.documents import OUTWARD, SIZE_S4, Doc, cn_date, official_name


def publicity_title(rnd: Round) -> str:
    return f"关于{rnd.title}拟表彰对象的公示"


def build_publicity(rnd: Round, awarded: list[Nomination]) -> bytes:
    org = official_name(rnd.org.name)
    doc = Doc(kind=OUTWARD, title=publicity_title(rnd), creator=org, created=clock.now(), subject="评优公示")
    doc.title(publicity_title(rnd))
    doc.para(
        f"根据《{rnd.title}方案》（{rnd.approval_ref}），经各党支部推荐、{org}审定，"
        f"拟对以下{len(awarded)}个先进集体和个人予以表彰。现将有关情况公示如下："
    )
    numbers = "一二三四五六"
    index = 0
    for award_type, label in rules.AWARD_TYPES:
        rows = [n for n in awarded if n.award_type == award_type]
        if not rows:
            continue
        doc.heading1(f"{numbers[index]}、{label}（{len(rows)}{'个' if award_type == rules.ORG else '名'}）")
        index += 1
        if award_type == rules.ORG:
            table = [("序号", "党组织名称")] + [(str(i), n.branch.name) for i, n in enumerate(rows, 1)]
            doc.table(table, (20, 130), header=True, size=SIZE_S4, align_center=(0,))
        else:
            table = [("序号", "姓名", "所在党支部")] + [
                (str(i), n.person.name, n.branch.name) for i, n in enumerate(rows, 1)
            ]
            doc.table(table, (20, 40, 90), header=True, size=SIZE_S4, align_center=(0, 1))
    doc.heading1(f"{numbers[index]}、公示时间")
    doc.para(f"{cn_date(rnd.publicity_start)}至{cn_date(rnd.publicity_end)}（{rnd.publicity_days}个工作日）。")
    doc.para(
        "公示期间，党员和群众可通过来信、来电、来访等方式向上级党组织反映情况。反映问题应实事求是，"
        "以真实姓名反映，并提供必要的调查线索。",
        before=8,
    )
    doc.closing(org, rnd.publicity_start)
    return doc.to_bytes()
