"""The 25 steps of 发展党员 (rules.md §2; articles of the 2026 细则), their input keys and the stages of
the `order` rule (development.md § "Order of steps")."""

from __future__ import annotations

from dataclasses import dataclass

STAGES: dict[int, str] = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}


@dataclass(frozen=True)
class Step:
    number: int  # 1..25
    id: str  # stable identifier, also the timeline's input key (except probation_education)
    stage: int  # 1..5
    name: str  # Chinese name (2026 细则)
    article: str  # article(s) of the 2026 细则 (rules.md §2)
    name_2014: str | None = None  # where the 2014 text names the step differently


STEPS: tuple[Step, ...] = (
    Step(1, "application", 1, "递交入党申请书", "第5—6条"),
    Step(2, "application_talk", 1, "党组织派人谈话", "第7条"),
    Step(3, "activist", 2, "确定为入党积极分子", "第8条"),
    Step(4, "activist_filed", 2, "报上级党委备案", "第8条"),
    Step(5, "contacts", 2, "指定培养联系人", "第9条"),
    Step(6, "assessments", 2, "培养教育考察", "第11—12条"),
    Step(7, "candidate", 3, "确定为发展对象", "第13条"),
    Step(8, "candidate_approved", 3, "报上级党委同意", "第13条", name_2014="报上级党委备案"),
    Step(9, "sponsors", 3, "确定入党介绍人", "第14条"),
    Step(10, "political_review", 3, "进行政治审查", "第16条"),
    Step(11, "training", 3, "开展集中培训", "第17条"),
    Step(12, "committee_review", 3, "支部委员会审查", "第18条"),
    Step(13, "pre_review", 3, "上级党委预审", "第18条"),
    Step(14, "application_form", 4, "填写入党志愿书", "第19条"),
    Step(15, "admission_meeting", 4, "支部大会讨论接收预备党员", "第19—20条"),
    Step(16, "approval_talk", 4, "上级党委派人谈话", "第23条"),
    Step(17, "approval", 4, "上级党委审批", "第24—25条"),
    Step(18, "filed", 4, "再上一级党委组织部门备案", "第25条"),
    Step(19, "assigned", 4, "编入党支部和党小组", "第28条"),
    Step(20, "oath", 4, "入党宣誓", "第29条"),
    Step(21, "probation_education", 5, "继续教育考察", "第30条"),
    Step(22, "full_application", 5, "提出转正申请", "第31—32条"),
    Step(23, "full_meeting", 5, "支部大会讨论转正", "第32条"),
    Step(24, "full_approval", 5, "上级党委审批转正", "第33条"),
    Step(25, "archived", 5, "材料归档", "第36条"),
)
STEP_BY_ID: dict[str, Step] = {s.id: s for s in STEPS}

# The 公示 of step 7 has its own input key; it sits between steps 7 and 8.
PUBLICITY = "candidate_publicity"
PUBLICITY_NAME = "发展对象公示"
# 延长预备期 (细则 第31条, 党章 第7条; rules2.md §9): not one of the 25 steps, an optional outcome at the end
# of 预备期 — a 支部大会 vote with 上级党委 approval; it sits between the oath and the 转正申请.
EXTENSION = "extension"
EXTENSION_NAME = "延长预备期"

# 取消预备党员资格 (细则 第34条; 党章 第7条): the other outcome at the end of 预备期, by a 支部大会 vote and
# 上级党委 approval. The web app records it; it is not an input key of `zhibu develop check`.
CANCELLATION = "cancellation"
CANCELLATION_NAME = "取消预备党员资格"

# Input keys in procedural order, for `next` and the step lists (step 21 has no input).
SEQUENCE: tuple[str, ...] = (
    "application",
    "application_talk",
    "activist",
    "activist_filed",
    "contacts",
    "assessments",
    "candidate",
    PUBLICITY,
    "candidate_approved",
    "sponsors",
    "political_review",
    "training",
    "committee_review",
    "pre_review",
    "application_form",
    "admission_meeting",
    "approval_talk",
    "approval",
    "filed",
    "assigned",
    "oath",
    EXTENSION,
    "full_application",
    "full_meeting",
    "full_approval",
    "archived",
)
SEQ_INDEX = {k: i for i, k in enumerate(SEQUENCE)}
# Steps that may be left out without anything being "missing": `next` never asks for them.
OPTIONAL: frozenset[str] = frozenset({EXTENSION})

# development.md § "Order of steps": a partial order. Steps of one stage may happen in any order among
# themselves; every step of a stage is on or after every step of all earlier stages.
ORDER_STAGES: tuple[tuple[str, ...], ...] = (
    ("application",),
    ("application_talk",),
    ("activist",),
    ("activist_filed", "contacts", "assessments"),
    ("candidate",),
    (PUBLICITY,),
    ("candidate_approved",),
    ("sponsors", "political_review", "training"),
    ("committee_review",),
    ("pre_review",),
    ("application_form",),
    ("admission_meeting",),
    ("approval_talk",),
    ("approval",),
    ("filed", "assigned", "oath"),
    (EXTENSION,),
    ("full_application",),
    ("full_meeting",),
    ("full_approval",),
    ("archived",),
)
ORDER_STAGE_OF: dict[str, int] = {k: n for n, keys in enumerate(ORDER_STAGES, 1) for k in keys}
assert set(ORDER_STAGE_OF) == set(SEQUENCE), "every input key has an order stage"


def stage_of(key: str) -> int:
    """The stage (1–5 of rules.md §2) an input key belongs to."""
    if key == PUBLICITY:
        return 3
    if key in (EXTENSION, CANCELLATION):
        return 5
    return STEP_BY_ID[key].stage


def step_name(key: str, version: str = "2026") -> str:
    """Chinese name of a step / input key under rule set `version`."""
    if key == PUBLICITY:
        return PUBLICITY_NAME
    if key == EXTENSION:
        return EXTENSION_NAME
    if key == CANCELLATION:
        return CANCELLATION_NAME
    step = STEP_BY_ID[key]
    return step.name_2014 if version == "2014" and step.name_2014 else step.name
