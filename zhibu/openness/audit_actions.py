"""The audit actions of 三务公开, the mailbox and the 恳谈会, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    PROPOSE = "openness.propose", "提出公开事项"
    EDIT = "openness.edit", "修改公开事项"
    REVIEW = "openness.review", "审核公开事项（保密审查）"
    APPROVE = "openness.approve", "审批公开事项"
    PUBLISH = "openness.publish", "发布公开事项"
    RETURN = "openness.return", "退回公开事项"
    DUES_DRAFT = "openness.dues_draft", "生成党费公开草稿"
    LINK = "openness.link", "修改公开设置"
    NEW_LINK = "openness.new_link", "重新生成公开链接"
    CATALOG_ADD = "openness.catalog_add", "增加公开目录事项"
    CATALOG_RETIRE = "openness.catalog_retire", "停用公开目录事项"
    RECEIVE = "openness.receive", "收到信箱来信"
    ASSIGN = "openness.assign", "分办信箱来信"
    REPLY = "openness.reply", "答复信箱来信"
    PUBLISH_QA = "openness.publish_qa", "公开信箱问答"
    TO_RECTIFY = "openness.to_rectify", "意见转为整改事项"
    FORUM = "openness.forum", "登记民主恳谈会"
    FORUM_PARTICIPANT = "openness.forum_participant", "登记恳谈会参加人员"
    FORUM_ITEM = "openness.forum_item", "登记恳谈会意见"
