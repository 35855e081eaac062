"""The 换届 paperwork, built on the one document layer (GB/T 9704): the 请示 to the upper committee, the
选举办法 the meeting adopts, ballot sheets (candidates in 姓氏笔画 order), the 计票结果 of every round and
the 选举结果报告. Texts come from the record; nothing here writes."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, RECORD, SIZE_4, SIZE_S4, Doc, cn_date, committee_name, official_name
from zhibu.elections import rules, selectors
from zhibu.elections.models import Election
from zhibu.orgs.models import Position

KINDS = {
    "request": "关于召开党员大会进行换届选举的请示",
    "method": "选举办法",
    "ballot": "选票",
    "tally": "计票结果",
    "report": "关于换届选举结果的报告",
}
CN_NUM = "零一二三四五六七八九十"


def _n(k: int) -> str:
    return CN_NUM[k] if 0 <= k <= 10 else str(k)


def filename(election: Election, kind: str) -> str:
    return f"{election.branch.name}{KINDS[kind]}.docx"


def _doc(election: Election, kind: str, title: str, doc_kind: str = OUTWARD) -> Doc:
    return Doc(
        kind=doc_kind, title=title, creator=official_name(election.branch.name), created=clock.now(), subject="换届选举"
    )


def _upper(election: Election) -> str:
    parent = election.branch.parent
    return official_name(parent.name) if parent is not None else "上级党委"


def missing(election: Election, kind: str, tally: selectors.Tally) -> list[str]:
    """What the record lacks for this document ([] = it can be built)."""
    out = []
    if kind in ("ballot", "method") and not any(c.approved for c in selectors.candidates_of(election)):
        out.append("上级党委尚未审查同意候选人名单")
    if kind == "tally" and not tally.rounds:
        out.append("尚未登记计票结果")
    if kind == "report" and (tally.remaining or election.officers_on is None):
        out.append("选举尚未完成或新一届支委会尚未分工")
    return out


def build_request(election: Election, *, date: dt.date | None = None) -> bytes:
    branch = official_name(election.branch.name)
    title = KINDS["request"]
    doc = _doc(election, "request", title)
    doc.title(title)
    doc.para(f"{_upper(election)}：", indent=False)
    start = None if election.finished else selectors.committee_term_start(election.branch)
    since = f"自{cn_date(start)}选举产生以来，" if start else ""
    doc.para(
        f"{branch}现有委员会{since}任期将于{cn_date(election.term_end)}届满。根据《中国共产党基层组织选举工作条例》"
        "和《中国共产党支部工作条例（试行）》的规定，经支部委员会研究，拟召开党员大会进行换届选举。现将有关事项请示如下："
    )
    doc.heading1("一、会议时间")
    doc.para(f"拟于{cn_date(election.planned_date)}召开党员大会。")
    doc.heading1("二、应选名额")
    if election.seats == 1:
        doc.para("选举产生支部书记1名。")
    else:
        doc.para(f"选举产生新一届支部委员会委员{election.seats}名，由新一届支部委员会选举产生书记、副书记。")
    doc.heading1("三、候选人提名方式")
    doc.para(f"{election.nomination_method}。候选人人数多于应选人数的20%，实行差额选举。")
    doc.heading1("四、选举办法")
    doc.para(
        "采用无记名投票方式，差额选举；被选举人获得的赞成票超过实到会有选举权的党员人数的一半，始得当选。"
        "选举办法草案提交党员大会讨论通过。"
    )
    doc.para("妥否，请批示。")
    doc.closing(branch, date or election.request_on or clock.today())
    return doc.to_bytes()


def build_method(election: Election, *, date: dt.date | None = None) -> bytes:
    title = f"{official_name(election.branch.name)}党员大会选举办法"
    doc = _doc(election, "method", title)
    doc.title(title)
    needed = rules.min_candidates(election.seats)
    items = [
        "根据《中国共产党章程》《中国共产党基层组织选举工作条例》和《中国共产党支部工作条例（试行）》，制定本办法。",
        f"本次大会选举产生支部委员会委员{election.seats}名。候选人不少于{needed}名，实行差额选举。",
        "选举采用无记名投票方式。正式党员有选举权和被选举权；预备党员、留党察看期间的党员和被停止党员权利的党员没有选举权。",
        "到会有选举权的党员超过应到会有选举权的党员的五分之四，选举有效。",
        "选票上的候选人名单以姓氏笔画为序。选举人对候选人可以投赞成票、不赞成票或弃权；投不赞成票者可以另选他人。"
        "所选人数等于或少于应选人数的为有效票，多于应选人数的为无效票。",
        "收回的选票等于或少于发出的选票，选举有效；多于发出的选票，选举无效，应重新选举。",
        "被选举人获得的赞成票超过实到会有选举权的党员人数的一半，始得当选。得票超过半数的被选举人多于应选名额时，"
        "以得票多少为序，至取足应选名额为止；如遇票数相等不能确定当选人时，应就票数相等的被选举人再次投票，得票多的当选。",
        "当选人少于应选名额时，对不足的名额另行选举，候选人从未当选的得票多的候选人中确定。",
        "大会设监票人、计票人，监票人由全体党员从不是候选人的党员中推选，经大会通过。",
        "本办法经党员大会通过后生效。",
    ]
    for i, text in enumerate(items, 1):
        doc.para(f"{_n(i) if i <= 10 else i}、{text}")
    doc.closing(official_name(election.branch.name), date or election.meeting_date or election.planned_date)
    return doc.to_bytes()


def build_ballot(election: Election, tally: selectors.Tally) -> bytes:
    """The next ballot (or the first when none is pending): candidates in 姓氏笔画 order, a box each."""
    candidates = tally.ballot if tally.ballot else [c for c in selectors.candidates_of(election) if c.approved]
    seats = tally.remaining or election.seats
    kind = tally.next_kind_label if tally.ballot else "正式选举"
    title = f"{official_name(election.branch.name)}委员会委员选举选票"
    doc = _doc(election, "ballot", title, RECORD)
    doc.title(title, after=12)
    doc.subtitle(f"（{kind}，应选{seats}名，以姓氏笔画为序）")
    rows: list[tuple[str, ...]] = [("候选人姓名", "赞成", "不赞成", "弃权")]
    rows += [(c.person.name, "", "", "") for c in candidates]
    rows += [("另选他人：", "", "", "")]
    doc.table(rows, (60, 30, 30, 30), header=True, size=SIZE_4, align_center=(0, 1, 2, 3))
    doc.para(
        "说明：1. 赞成的在“赞成”栏内划“○”，不赞成的划“×”，弃权的不划任何符号；"
        f"2. 所选人数等于或少于{seats}名为有效票，多于{seats}名为无效票；"
        "3. 不赞成的可在“另选他人”栏内填写其他党员姓名。",
        size=SIZE_S4,
        line=20,
        before=6,
    )
    return doc.to_bytes()


def build_tally(election: Election, tally: selectors.Tally) -> bytes:
    title = f"{official_name(election.branch.name)}党员大会选举计票结果"
    doc = _doc(election, "tally", title, RECORD)
    doc.title(title)
    doc.para(
        f"会议日期：{cn_date(election.meeting_date)}。应到会有选举权的党员{tally.should_attend}人"
        f"（正式党员{tally.full}人，经批准不计入{tally.excluded}人，留党察看或停止党员权利{tally.suspended}人）。"
    )
    for r in tally.rounds:
        rnd = r.round
        doc.heading2(f"第{_n(rnd.number)}轮 {rnd.get_kind_display()}（应选{rnd.seats}名）")
        doc.para(
            f"实到会有选举权的党员{rnd.present}人，发出选票{rnd.issued}张，收回{rnd.returned}张，其中无效票{rnd.invalid}张。"
            + ("本轮选举有效。" if r.result.valid else "本轮选举无效。")
        )
        rows: list[tuple[str, ...]] = [("候选人", "得票", "结果")]
        elected, runoff = {c.pk for c in r.elected}, {c.pk for c in r.runoff}
        for c, n in r.votes:
            rows.append(
                (c.person.name, str(n), "当选" if c.pk in elected else "须再次投票" if c.pk in runoff else "未当选")
            )
        doc.table(rows, (60, 40, 50), header=True, size=SIZE_4, align_center=(1, 2))
        for v in r.result.violations:
            doc.para(v.message + "。", size=SIZE_S4, line=20)
    names = "、".join(c.person.name for c in tally.elected) or "无"
    doc.para(f"当选委员：{names}。" + (f"尚缺{tally.remaining}名。" if tally.remaining else ""), before=8)
    signatures = [("监票人（签字）", "", "计票人（签字）", "")]
    doc.table(signatures, (40, 45, 40, 45), size=SIZE_4, label_columns=(0, 2), heights_mm=[14])
    return doc.to_bytes()


def build_report(election: Election, tally: selectors.Tally, *, date: dt.date | None = None) -> bytes:
    branch = official_name(election.branch.name)
    title = KINDS["report"]
    doc = _doc(election, "report", title)
    doc.title(title)
    doc.para(f"{_upper(election)}：", indent=False)
    reply = f"（{election.reply_ref}）" if election.reply_ref else ""
    doc.para(
        f"经上级党委批复同意{reply}，{branch}于{cn_date(election.meeting_date)}召开党员大会进行换届选举。"
        f"应到会有选举权的党员{tally.should_attend}人，实到{tally.rounds[0].round.present if tally.rounds else 0}人，"
        "超过应到会人数的五分之四，符合规定。大会通过了选举办法，推选了监票人、计票人，采用无记名投票、差额选举的方式，"
        f"选举产生了新一届支部委员会委员{len(tally.elected)}名。"
    )
    if len(tally.rounds) > 1:
        doc.para(
            f"大会共进行{_n(len(tally.rounds))}轮投票，"
            + "；".join(f"第{_n(r.round.number)}轮为{r.round.get_kind_display()}" for r in tally.rounds)
            + "。"
        )
    officers = "书记、副书记" if any(c.post == Position.DEPUTY for c in tally.elected) else "书记"
    doc.para(
        f"{cn_date(election.officers_on)}，新一届支部委员会召开第一次会议，选举产生了{officers}并进行了分工。结果如下："
    )
    labels = dict(Position.choices)
    order = {value: i for i, (value, _l) in enumerate(Position.choices)}
    rows = [("姓名", "职务", "得票")]
    votes_of = {}
    for r in tally.rounds:
        for c, n in r.votes:
            if c in r.elected:
                votes_of[c.pk] = n
    for c in sorted(tally.elected, key=lambda c: order.get(c.post, 99)):
        rows.append((c.person.name, labels.get(c.post, "委员"), str(votes_of.get(c.pk, ""))))
    doc.table(rows, (50, 50, 40), header=True, size=SIZE_4, align_center=(0, 1, 2))
    doc.para("请审批书记、副书记人选，新一届支部委员会委员请予备案。", before=8)
    doc.closing(branch, date or election.report_on or election.officers_on)
    return doc.to_bytes()


def build(election: Election, kind: str, tally: selectors.Tally, *, date: dt.date | None = None) -> bytes:
    if kind == "request":
        return build_request(election, date=date)
    if kind == "method":
        return build_method(election, date=date)
    if kind == "ballot":
        return build_ballot(election, tally)
    if kind == "tally":
        return build_tally(election, tally)
    return build_report(election, tally, date=date)


def committee_title(election: Election) -> str:
    return committee_name(election.branch.name)
