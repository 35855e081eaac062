"""Administrator-maintained holiday data for the years `chinesecalendar` does not cover (rules.md §5).

A `HolidayDay` overrides one date: a public holiday (is_workday=False) or a 调休 make-up working day
(is_workday=True). A `HolidayYear` with complete=True declares that every holiday and make-up day of
that year has been entered, so dates in it are no longer provisional. The pure calendar lives in
`zhibu.workdays.calendar`; `zhibu.workdays.selectors.get_calendar()` joins the two.
"""
from django.db import models
from django.db.models import Q

MIN_YEAR = 2000
MAX_YEAR = 2100


class HolidayDay(models.Model):
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="节假日为否；调休上班日为是")
    name = models.CharField("名称", max_length=50, help_text="如：春节、国庆节、春节调休上班")

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=f"{MIN_YEAR}-01-01") & Q(date__lte=f"{MAX_YEAR}-12-31"),
                name="workdays_holidayday_date_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="workdays_holidayday_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_workday else '放假'}）"


class HolidayYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    complete = models.BooleanField("已录入完整", default=False)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR),
                name="workdays_holidayyear_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年（{'已完整' if self.complete else '未完整'}）"
