"""Eligibility hook for 评优 (`vetoes(branch, year) -> {person id: Chinese reason}`): a member graded
基本合格 or 不合格 in that year's finalised 民主评议 is not commended that year (rules2.md §1 treatment:
优秀 → 通报表扬; 基本合格/不合格 → 指出差距、教育转化)."""

from __future__ import annotations

from zhibu.review import rules
from zhibu.review.models import Grade


def vetoes(branch, year: int) -> dict[int, str]:
    rows = Grade.objects.filter(
        review__branch=branch, review__year=year, review__finalised_at__isnull=False,
        grade__in=(rules.BASIC, rules.UNQUALIFIED),
    ).values_list("person_id", "grade")
    return {pid: f"{year}年度民主评议为{grade}" for pid, grade in rows}
