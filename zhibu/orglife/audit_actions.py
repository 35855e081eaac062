"""The audit actions of 三会一课, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    VOTE = "vote", "表决"
    ATTENDANCE = "attendance", "登记出勤"
    SIGN_IN = "sign_in", "签到"
    ATTACH = "attach", "上传附件"
    DETACH = "detach", "删除附件"
    MAKEUP_DONE = "makeup_done", "补课销号"
    FINALISE = "orglife.finalise", "会议记录定稿"
    LEAVE_REQUEST = "orglife.leave_request", "请假申请"
    MOTION_EDIT = "orglife.motion_edit", "修改表决"
    MOTION_DELETE = "orglife.motion_delete", "删除表决"
    ATTENDANCE_AFTER_VOTE = "orglife.attendance_after_vote", "表决后更正出勤"
