"""The plan parser's data: the kinds vocabulary (plan-import.md), Chinese labels, the words of
calendar, closing and table headings, and the school-year table. Pure data, tunable."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------
# Data: kinds vocabulary (spec table), Chinese labels, calendar heading words.
# Patterns are regular expressions searched in the item text; order = output order.
# ---------------------------------------------------------------------------------------------

KIND_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("party_congress", ("党员大会", "支部大会", "全体党员会", "党员代表大会", "(?<!干部)党员会议")),
    ("committee_meeting", ("支委会", "支委扩大会", "支部委员会", "支部会议", "支委会议", "支委成员会")),
    ("group_meeting", ("党小组会", "党小组学习", "党小组活动")),
    ("party_lecture", ("党课",)),
    (
        "theme_day",
        (
            "主题党日",
            "党日活动",
            "固定党日",
            "党员活动日",
            "党员固定(?:活动)?日",
            "固定(?:活动)?日(?:活动)?",
            "支部活动日",
            "统一活动日",
            "支部主题活动日",
        ),
    ),
    # The spec's table: 民主生活会 → democratic_life_meeting, as the text says. rules2.md §2: a 党支部
    # holds 组织生活会 (its plans' 党员民主生活会 means it); the branch's import maps it (`for_branch`).
    ("org_life_meeting", ("组织生活会",)),
    ("democratic_life_meeting", ("民主生活会",)),
    # 民主评议政风行风 rates a department's conduct (openness), not members
    (
        "member_evaluation",
        (
            "民主评议(?!政风|行风|机关|部门|作风|干部)",
            "评议党员",
            "党员评议",
            "党员考核",
            "考核党员",
            "党员考评",
            "述职",
            "民主考核",
            "民主测评",
            "积分考核",
            "党员评星",
        ),
    ),
    ("dues", ("党费",)),
    (
        "development",
        (
            "发展党员",
            "发展.{0,2}党员",
            "党员发展",
            "组织发展",
            "积极分子",
            "发展对象",
            "培养对象",
            "预备党员",
            "转正",
            "党基考试",
            "入党申请",
            "申请入党",
            "入党志愿",
            "入党宣誓",
            "入党介绍",
            "(?<!更)新党员",
            "政审",
            "(?<![调转迁编])入党(?!誓词|初心|为什么|时的)",
        ),
    ),
    ("transfer", ("组织关系", "接转", "转接")),
    ("study", ("学习", "读(?:好)?书", "自学", "研读", "学习强国")),
    (
        "openness",
        (
            "[校园党政财事村]务公开",
            "三务公开",
            "公开栏",
            "民主恳谈",
            "恳谈会",
            "行风评议",
            "政风行风",
            "园长信箱",
            "校长信箱",
        ),
    ),
    ("integrity", ("廉政", "廉洁", "思廉", "崇廉", "倡廉", "清廉", "反腐", "警示教育", "警示片")),
    ("ethics", ("师德", "师风")),
    (
        "exemplar",
        (
            "示范岗",
            "示范课",
            "示范点",
            "党员示范",
            "先锋岗",
            "亮身份",
            "听评课",
            "评课",
            "公开课",
            "教学展示",
            "创先争优",
            "承诺践诺",
            "践诺",
            "党员承诺",
            "一面旗",
            "优秀(?:共产)?党员",
        ),
    ),
    ("pairing", ("结对", "双向培养", "传帮带", "一帮一", "手拉手", "师徒", "青蓝工程")),
    (
        "volunteer",
        (
            "志愿",
            "(?:进|到|在|入|走进|深入|服务)社区",
            "社区(?:服务|志愿|共建)",
            "送教",
            "学雷锋",
            "义务(?:劳动|服务|辅导|植树|宣传)",
            "义工",
        ),
    ),
    ("care", ("慰问", "走访", "帮扶", "关怀", "关爱", "看望", "探望", "送温暖", "困难党员", "重阳")),
    (
        "mass_org",
        (
            "工会",
            "共青团",
            "团委",
            "团支部",
            "团员",
            "团建",
            "入团",
            "少先队(?!员)",
            "妇女",
            "妇委",
            "三八",
            "教代会",
            "职代会",
            "群团",
            "青年节",
            "五四",
        ),
    ),
    (
        "commemoration",
        (
            "庆祝",
            "纪念",
            "扫墓",
            "祭扫",
            "七一",
            "国庆",
            "教师节",
            "红歌",
            "演讲比赛",
            "建党",
            "诞辰",
            "烈士",
            "清明",
            "长征",
            "革命传统",
            "周年",
            "五四",
            "一二[·•.]?九",
            "建军节",
            "公祭",
            "党的生日",
            "抗战",
            "红色教育基地",
            "革命纪念",
        ),
    ),
    (
        "planning",
        (
            "(?:制定|制订|拟定|拟订|修订|编制)[^。;；]{0,15}?(?:计划|方案|规划|要点)",
            "(?:计划|方案|规划)的?(?:制定|制订)",
            "部署",
            "布置",
        ),
    ),
    (
        "summary",
        (
            "总结",
            "小结",
            "档案",
            "(?<!学习)(?<!宣传)(?<!阅读)材料",
            "(?<!学习)资料",
            "汇总",
            "上报",
            "年终评估",
            "年度评估",
            "年终考核",
            "归档",
            "台账",
        ),
    ),
)

# A mention that names a document, not an activity: "民主评议会议记录", "积极分子情况记录表",
# "组织生活会记录".  Matches of kinds other than these are ignored when this follows them.
DOCUMENT_KINDS_KEPT: tuple[str, ...] = ("summary", "planning")
DOCUMENT_SUFFIX = r"[^,，。;；:：、()（）]{0,6}?(?:会议)?(?:记录表|记录本|记录|登记表|情况表|考核表|统计表|台账|档案)"
# A mention right after one of these is not planned: "不安排主题党日", "暂停集中学习".
NEGATIONS: tuple[str, ...] = ("不安排", "不开展", "不召开", "不举行", "不组织", "暂停", "取消", "无需", "不再")
# An item that hands in a list of materials ("上交材料:工作总结、民主评议会议记录、…"): the list after the
# colon names documents, so only the words before it are classified.
MATERIALS_LIST = r"(?:上交|上报|报送|提交|整理|收集|归档|汇总|准备|完善)[^:;。,]{0,12}?(?:材料|资料|档案|台账)\s*:"

KINDS: tuple[str, ...] = tuple(k for k, _ in KIND_KEYWORDS)

KIND_LABELS: dict[str, str] = {
    "party_congress": "党员大会",
    "committee_meeting": "支委会",
    "group_meeting": "党小组会",
    "party_lecture": "党课",
    "theme_day": "主题党日",
    "org_life_meeting": "组织生活会",
    "democratic_life_meeting": "民主生活会",
    "member_evaluation": "民主评议党员",
    "dues": "党费",
    "development": "发展党员",
    "transfer": "组织关系接转",
    "study": "学习",
    "openness": "公开",
    "integrity": "廉政",
    "ethics": "师德师风",
    "exemplar": "示范争优",
    "pairing": "结对",
    "volunteer": "志愿服务",
    "care": "关怀帮扶",
    "mass_org": "群团工作",
    "commemoration": "纪念庆祝",
    "planning": "计划部署",
    "summary": "总结材料",
}

# A short line containing one of these opens the calendar.
CALENDAR_HEADING_WORDS: tuple[str, ...] = (
    "行事历",
    "行事表",
    "具体安排",
    "日程安排",
    "工作日程",
    "活动日程",
    "每月具体工作安排",
    "月工作安排",
    "工作安排",
    "活动安排",
    "进度安排",
    "时间安排",
    "逐月安排",
    "按月安排",
    "月度安排",
    "月份安排",
    "工作日历",
    "工作月历",
    "工作进度",
    "进度表",
    "安排表",
    "工作历",
    "月历",
    "具体工作",
)

# The school-year table (plan-import.md: "上学期 = 9–1 and 下学期 = 2–7 for a kindergarten or school";
# the README prints it): period words other than months → months. Configurable: a district whose
# terms differ replaces entries here (e.g. from settings) before parsing.
SCHOOL_YEAR: dict[str, list[int]] = {
    "上学期": [9, 10, 11, 12, 1],
    "第一学期": [9, 10, 11, 12, 1],
    "秋季学期": [9, 10, 11, 12, 1],
    "下学期": [2, 3, 4, 5, 6, 7],
    "第二学期": [2, 3, 4, 5, 6, 7],
    "春季学期": [2, 3, 4, 5, 6, 7],
    "学期初": [2, 9],
    "开学初": [2, 9],
    "学期中": [4, 5, 10, 11],
    "期中": [4, 5, 10, 11],
    "学期末": [1, 6, 7],
    "期末": [1, 6, 7],
    "寒假": [1, 2],
    "寒假期间": [1, 2],
    "暑假": [7, 8],
    "暑期": [7, 8],
    "暑假期间": [7, 8],
}

# Whole-line season words → months (the school-year table included).
SEASON_MONTHS: dict[str, list[int]] = {
    **SCHOOL_YEAR,
    "上半年": list(range(1, 7)),
    "下半年": list(range(7, 13)),
    "全年": list(range(1, 13)),
    "全年度": list(range(1, 13)),
    "每月": list(range(1, 13)),
    "每个月": list(range(1, 13)),
}

# Lines after which the calendar is over (closing sentences).
CLOSING_PREFIXES: tuple[str, ...] = (
    "在新的一年",
    "新的一年",
    "新的学年",
    "在新学年",
    "总之",
    "总而言之",
    "让我们",
    "我们相信",
    "相信在",
    "以上",
    "特此",
    "本计划",
    "此计划",
    "未尽事宜",
    "注:",
    "备注",
    "说明:",
    "附件",
)

# A short heading (numbered or not) made of one of these ends the calendar: "保障措施", "五、工作要求:".
CLOSING_HEADINGS: tuple[str, ...] = (
    "保障措施",
    "工作措施",
    "主要措施",
    "具体措施",
    "措施保障",
    "工作保障",
    "组织保障",
    "保障机制",
    "工作要求",
    "有关要求",
    "几点要求",
    "具体要求",
    "其他要求",
    "实施要求",
    "注意事项",
    "其他事项",
    "考核办法",
    "考核评价",
    "考核评估",
    "保障机制",
    "工作保障措施",
    "组织实施",
)
# A heading with one of these is not a calendar heading even with a calendar word: "具体工作措施".
NOT_CALENDAR_WORDS: tuple[str, ...] = ("措施", "目标", "指导思想", "原则", "思路")

ORG_SUFFIXES: tuple[str, ...] = (
    "党支部",
    "党总支",
    "党委",
    "支部委员会",
    "总支委员会",
    "幼儿园",
    "学校",
    "小学",
    "中学",
    "大学",
    "学院",
    "中心",
    "医院",
    "公司",
    "办公室",
    "教育局",
    "支部",
)
_VERB_START = re.compile(
    r"^(召开|开展|组织|举办|学习|做好|参加|参与|收缴|上交|迎接|布置|制定|制订|总结|"
    r"落实|加强|推进|深入|认真|坚持|完成|进行|配合|协助)"
)

_HEADER_WORDS = re.compile(
    r"^(?:月份|月|时间|日期|时段|工作内容|内容|主要工作|工作|工作安排|活动内容|活动|项目|"
    r"工作事项|事项|任务|主题|负责人|责任人|负责|责任部门|备注|序号|参加人员|参加对象|"
    r"地点|形式|完成时间|完成情况)$"
)
_DROP_COLUMN = re.compile(r"负责|责任|备注|序号|参加|地点|人员|对象|部门|形式|完成情况")


def for_branch(kinds: list[str]) -> list[str]:
    """Kinds as a 党支部 reads them: its 民主生活会 is the 组织生活会 (rules2.md §2, 民主生活会若干规定)."""
    out: list[str] = []
    for kind in kinds:
        kind = "org_life_meeting" if kind == "democratic_life_meeting" else kind
        if kind not in out:
            out.append(kind)
    return out
