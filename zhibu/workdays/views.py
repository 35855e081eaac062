"""The holiday / make-up-day table for years `chinesecalendar` does not cover: district admins read it,
only a site administrator (superuser) edits it — the table is national, every district's deadlines
depend on it."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.workdays import services
from zhibu.workdays.calendar import CHINESECALENDAR_YEARS
from zhibu.workdays.forms import HolidayForm
from zhibu.workdays.models import MAX_YEAR, MIN_YEAR, HolidayDay, HolidayYear


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = max(clock.today().year + 1, CHINESECALENDAR_YEARS.stop)
    return year


@login_required
def holidays(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.ADMIN)
    if org.kind != OrgKind.COMMITTEE:
        raise PermissionDenied("节假日安排由上级党委管理员维护")
    year = _year(request)
    can_edit = request.user.is_superuser
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("全国节假日安排由系统管理员维护")
    form = HolidayForm(request.POST if request.POST.get("action") == "set" else None,
                       initial={"date": dt.date(year, 1, 1)})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "set" and form.is_valid():
                day = services.set_holiday(actor=request.user, **form.cleaned_data)
                messages.success(request, f"已保存：{day}")
                return redirect(f"{request.path}?year={day.date.year}")
            if action == "remove":
                services.remove_holiday(actor=request.user, date=dt.date.fromisoformat(request.POST.get("date", "")))
                messages.success(request, "已删除")
                return redirect(f"{request.path}?year={year}")
            if action == "complete":
                services.set_year_complete(actor=request.user, year=year, complete=request.POST.get("complete") == "1")
                messages.success(request, "已更新年度状态")
                return redirect(f"{request.path}?year={year}")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except ValueError:
            messages.error(request, "日期格式不正确")
    days = HolidayDay.objects.filter(date__year=year)
    complete = HolidayYear.objects.filter(year=year, complete=True).exists()
    return render(request, "workdays/holidays.html", {
        "org": org, "year": year, "days": days, "complete": complete, "form": form, "can_edit": can_edit,
        "covered": year in CHINESECALENDAR_YEARS, "cc_years": CHINESECALENDAR_YEARS,
        "years": sorted({d.year for d in HolidayDay.objects.dates("date", "year")} | {year}),
    }, status=400 if form.errors else 200)
