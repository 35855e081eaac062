"""Rule identifiers, what each checks, and their sources per version of the 细则 (rules.md §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

RULES_2026_EFFECTIVE = dt.date(2026, 5, 11)

# Stable identifiers (the web app shows the same ones) and when each holds (development.md).
RULE_DESCRIPTIONS: dict[str, str] = {
    "age_18": "递交入党申请书时年满十八周岁",
    "talk_within_1_month": "收到入党申请书后一个月内派人谈话",
    "contacts_1_to_2": "培养联系人为一至两名正式党员",
    "activist_min_one_year": "经过一年以上培养教育和考察方可确定为发展对象",
    "publicity_5_workdays": "发展对象公示不少于5个工作日（含首尾两日）",
    "publicity_before_approval": "公示结束后方可报上级党委同意（备案）",
    "sponsors_2": "有两名正式党员作入党介绍人",
    "training_min": "集中培训不少于3天或不少于24学时",
    "review_before_admission": "政治审查、上级党委预审、填写入党志愿书均在支部大会之前",
    "admission_within_1_month": "预审通过后一个月内召开支部大会讨论",
    "quorum": "到会有表决权的党员超过应到会有表决权党员的半数",
    "vote_pass": "赞成票超过应到会有表决权党员的半数",
    "secret_ballot": "支部大会采取无记名投票方式表决",
    "approval_within_3_months": "上级党委在支部大会后三个月内审批",
    "oath_within_1_month": "上级党委审批后一个月内入党宣誓",
    "full_meeting_after_probation": "预备期满后方可讨论转正",
    "full_approval_within_3_months": "上级党委在支部大会讨论转正后三个月内审批",
    "extension_6_to_12_months": "延长预备期只能一次，时间不能少于半年，最长不超过一年",
    "extension_approval_within_3_months": "上级党委在支部大会讨论延长预备期后三个月内审批",
    "order": "各步骤按程序先后进行",
}
RULE_IDS: tuple[str, ...] = tuple(RULE_DESCRIPTIONS)


@dataclass(frozen=True)
class RuleSet:
    """One version of the 细则: which rules apply and the article each comes from."""

    version: str  # "2014" / "2026"
    effective: dt.date
    title: str
    articles: Mapping[str, str]  # rule id -> article text, e.g. "第13条"; absent = rule not in this set
    approval_verb: str  # what the higher 党委 does at step 8: 同意 (2026) / 备案 (2014)

    def applies(self, rule_id: str) -> bool:
        return rule_id in self.articles

    def source(self, rule_id: str) -> str:
        return f"{self.title}({self.version}) {self.articles[rule_id]}"


# 2026 细则: article numbers as given in rules.md §2 (confidence B throughout).
_ARTICLES_2026 = {
    "age_18": "第5条",
    "talk_within_1_month": "第7条",
    "contacts_1_to_2": "第9条",
    "activist_min_one_year": "第13条",
    "publicity_5_workdays": "第13条",
    "publicity_before_approval": "第13条",
    "sponsors_2": "第14条",
    "training_min": "第17条",
    "review_before_admission": "第16、18条",
    "admission_within_1_month": "第19条",
    "quorum": "第20条",
    "vote_pass": "第20条",
    "secret_ballot": "第20条",
    "approval_within_3_months": "第24条",
    "oath_within_1_month": "第29条",
    "full_meeting_after_probation": "第31、32条",
    "full_approval_within_3_months": "第33条",
    "extension_6_to_12_months": "第31条",  # also 党章 第7条
    "extension_approval_within_3_months": "第33条",
    "order": "第5—36条",
}

# 2014 细则 (中办发 2014-06-10): article numbers from memory, confidence per line.
# publicity_5_workdays and secret_ballot are not in the 2014 text (new in 2026, per rules.md §2).
_ARTICLES_2014 = {
    "age_18": "第5条",  # B: 年满十八岁 … 可以申请加入中国共产党
    "talk_within_1_month": "第7条",  # B: 收到入党申请书后一个月内派人谈话
    "contacts_1_to_2": "第9条",  # B: 指定一至两名正式党员作培养联系人
    "activist_min_one_year": "第13条",  # B: 经过一年以上培养教育和考察
    "publicity_before_approval": "第13条",  # C: 公示 before 备案 is recalled as practice, article unconfirmed
    "sponsors_2": "第14条",  # B: 两名正式党员作入党介绍人
    "training_min": "第17条",  # B: 不少于三天或不少于24个学时
    "review_before_admission": "第16、18条",  # B: 政治审查 16, 支委会审查/预审/志愿书 18
    "admission_within_1_month": "第20条",  # C: no explicit one-month limit recalled in 2014; per spec
    "quorum": "第20条",  # B: 有表决权的到会人数必须超过应到会有表决权人数的半数
    "vote_pass": "第20条",  # B: 赞成人数超过应到会有表决权的正式党员的半数
    "approval_within_3_months": "第24条",  # B: 三个月内审批，特殊情况可延长，不超过六个月
    "oath_within_1_month": "第29条",  # C: 入党宣誓 article; "一个月内" unconfirmed for 2014
    "full_meeting_after_probation": "第31、32条",  # B: 预备期一年，自支部大会通过之日起计算
    "full_approval_within_3_months": "第33条",  # B
    "extension_6_to_12_months": "第33条",  # B: 延长预备期 … 不能少于半年，最长不超过一年 (also 党章 第7条)
    "extension_approval_within_3_months": "第33条",  # C: the same three months as the 转正 approval
    "order": "第5—35条",  # C: the procedure as a whole
}

RULES_2014 = RuleSet("2014", dt.date(2014, 6, 10), "发展党员工作细则", _ARTICLES_2014, "备案")
RULES_2026 = RuleSet("2026", RULES_2026_EFFECTIVE, "发展党员工作细则", _ARTICLES_2026, "同意")
RULE_SETS: dict[str, RuleSet] = {"2014": RULES_2014, "2026": RULES_2026}


def rule_set_on(d: dt.date) -> RuleSet:
    """The rule set in force on `d`."""
    return RULES_2026 if d >= RULES_2026_EFFECTIVE else RULES_2014
