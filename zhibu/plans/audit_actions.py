"""The audit actions of plans and the 行事历, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    COPY = "copy", "复制计划"
    ADD_MISSING_ITEMS = "add_missing_items", "补充缺项"
    LINK_RECORD = "link_record", "关联记录"
    UNLINK_RECORD = "unlink_record", "取消关联"
    REGENERATE_ICAL_TOKEN = "regenerate_ical_token", "重新生成订阅地址"
    REGENERATE_BRANCH_FEED = "regenerate_branch_feed", "重新生成订阅地址"
    CREATE_BRANCH_FEED = "create_branch_feed", "生成订阅地址"
