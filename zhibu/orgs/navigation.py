"""The branch navigation: (label, url name, level needed). Entries whose URL does not exist (an app
not installed yet) are skipped."""
from zhibu.orgs import access

BRANCH_NAV = [
    ("首页", "orgs:home", access.VIEW),
    ("工作计划", "plans:index", access.VIEW),
    ("组织生活", "orglife:index", access.VIEW),
    ("组织生活会", "orglifemeeting:index", access.VIEW),
    ("发展党员", "development:board", access.AUDIT),
    ("党费", "dues:index", access.VIEW),
    ("整改", "rectify:index", access.AUDIT),
    ("学习", "study:index", access.VIEW),
    ("民主评议", "review:index", access.VIEW),
    ("评优", "commend:index", access.VIEW),
    ("廉政师德", "integrity:index", access.VIEW),
    ("关怀", "care:index", access.VIEW),
    ("公开", "openness:index", access.VIEW),
    ("年终材料", "yearend:index", access.AUDIT),
    ("考核", "assessment:branch", access.AUDIT),
    ("换届", "elections:index", access.VIEW),
    ("组织关系", "orgs:transfers", access.AUDIT),
    ("日志", "orgs:audit_log", access.AUDIT),
]
DISTRICT_NAV = [
    ("概览", "orgs:home", access.VIEW),
    ("组织生活", "orglife:district", access.VIEW),
    ("党费", "dues:district", access.VIEW),
    ("整改", "rectify:district", access.AUDIT),
    ("换届", "elections:district", access.AUDIT),
    ("学习", "study:district", access.AUDIT),
    ("民主评议", "review:district", access.AUDIT),
    ("评优", "commend:district", access.AUDIT),
    ("廉政师德", "integrity:district", access.AUDIT),
    ("关怀", "care:district", access.AUDIT),
    ("公开", "openness:district", access.AUDIT),
    ("年终材料", "yearend:district", access.AUDIT),
    ("考核", "assessment:index", access.AUDIT),
    ("年度看板", "assessment:dashboard", access.AUDIT),
    ("节假日", "workdays:holidays", access.ADMIN),
    ("日志", "orgs:audit_log", access.AUDIT),
]
