"""The audit actions of 换届选举, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    STEP = "elections.step", "登记换届事项"
    NOMINATIONS = "elections.nominations", "登记党员推荐"
    PRELIMINARY = "elections.preliminary", "确定候选人预备人选"
    REVIEW = "elections.review", "登记上级审查"
    MEETING = "elections.meeting", "登记选举大会"
    ROUND = "elections.round", "登记计票结果"
    POSTS = "elections.posts", "新一届委员分工"
    INSTALL = "elections.install", "新一届支委会任职"
    RESCHEDULE = "elections.reschedule", "延期或提前换届"
