"""Thin views: fetch through zhibu.orgs.access, write through services, render.

Levels: the month sheet, arrears, remittance and district pages are read by managers (secretary,
committee) and the district admin/auditor (AUDIT) and written by managers (MANAGE); the bases
(salaries) are for managers only; a member sees only their own statement."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.core.imports import ImportOutcome, run_import
from zhibu.dues import exports, limits, payroll, rules, selectors, services
from zhibu.dues.forms import (
    CloseMonthForm,
    MonthSheetForm,
    OverpaymentForm,
    PayrollImportForm,
    ProfileForm,
    RemittanceForm,
    ReverseForm,
    VerifyForm,
    VoluntaryForm,
    VoluntaryReverseForm,
    parse_month,
    parse_year,
)
from zhibu.dues.models import Adjustment, LedgerEntry, Method, VoluntaryPayment
from zhibu.orgs.models import OrgKind, Person


def _branch(request: HttpRequest, org_id: int, need: str):
    """The organisation as a branch (a 党小组 means its branch; a committee has no ledger)."""
    return access.get_branch(request, org_id, need, follow_group=True)


def _months_nav(month):
    return {"prev": rules.add_months(month, -1), "next": rules.add_months(month, 1)}


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id)
    scope = access.get_scope(request)
    if org.kind not in (OrgKind.BRANCH, OrgKind.GROUP):
        return redirect("dues:district", org_id=org.pk)
    if org.kind == OrgKind.GROUP:
        return redirect("dues:index", org_id=org.parent_id)
    if not scope.can(org, access.AUDIT):
        own = Person.objects.filter(branch=org, user=request.user).values_list("pk", flat=True).first()
        if own is None:
            raise PermissionDenied("只能查看本人党费")
        return redirect("dues:member", org_id=org.pk, person_id=own)
    today = clock.today()
    close = selectors.current_arrears(org, today)
    stats = close.branches.get(org.pk) or selectors.BranchMonth(org.pk)
    return render(request, "dues/index.html", {
        "org": org, "today": today, "close": close, "stats": stats,
        "arrears": close.arrears_rows(3)[:10], "can_manage": scope.can(org, access.MANAGE),
        "rounding": rules.ROUNDING_NOTE,
    })


def _prefill(value: str | None) -> str | int | None:
    """?prefill=1 (按应交额填入: every row), ?prefill=<person id> (先补最早欠月: that row), else nothing."""
    if value in ("1", "all"):
        return "all"
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@login_required
def sheet(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE if request.method == "POST" else access.AUDIT)
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    today = clock.today()
    month = parse_month(request.GET.get("month") or request.POST.get("month"), today)
    close = selectors.month_close(org, month, arrears_upto=rules.add_months(month, -1))
    entries = selectors.entries_for_month(org, month)
    closing = selectors.closing(org, month)
    form = MonthSheetForm(request.POST or None, rows=close.rows, entries=entries, can_edit=can_manage,
                          prefill=_prefill(request.GET.get("prefill")),
                          initial={"paid_on": today, "default_method": Method.CASH})
    if request.method == "POST" and form.is_valid():
        people = {p.pk: p for p in selectors.branch_members(org)}
        rows = [services.SheetRow(people[pid], amount, method, receipt) for pid, amount, method, receipt in form.payments()
                if pid in people]
        receipts = {pid: text for pid, text in form.receipts().items() if pid in people}
        if not rows and not receipts:
            form.add_error(None, "没有填写任何金额或收据号，未登记任何记录")
        else:
            try:
                created, receipted = services.record_sheet(actor=request.user, branch=org, month=month,
                                                           paid_on=form.cleaned_data["paid_on"], rows=rows, receipts=receipts)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                people_paid = len({e.person_id for e in created})
                text = f"已登记 {len(created)} 条交纳记录（{people_paid} 人）"
                if receipted:
                    text += f"，补记收据号 {receipted} 条"
                messages.success(request, text + "。")
                return redirect(f"{reverse('dues:sheet', kwargs={'org_id': org.pk})}?month={month:%Y-%m}")
    status = 400 if request.method == "POST" else 200
    return render(request, "dues/sheet.html", {
        "org": org, "month": month, "close": close, "form": form, "entries": entries, "can_manage": can_manage,
        "stats": close.branches.get(org.pk) or selectors.BranchMonth(org.pk), "nav": _months_nav(month),
        "quarterly": bool(org.settings.get("dues_quarterly")), "closing": closing,
        "reversed_ids": {e.reverses_id for es in entries.values() for e in es if e.reverses_id},
        "can_close": can_manage and closing is None and month <= rules.add_months(today, 0),
    }, status=status)


@login_required
def close_month(request: HttpRequest, org_id: int) -> HttpResponse:
    """结账: confirm, then close the month (managers)."""
    org = _branch(request, org_id, access.MANAGE)
    today = clock.today()
    month = parse_month(request.GET.get("month") or request.POST.get("month"), rules.add_months(today, -1))
    form = CloseMonthForm(request.POST or None, initial={"month": month})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_month(actor=request.user, branch=org, month=form.cleaned_data["month"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['month']:%Y年%-m月}已结账，可下载党费收缴登记表。")
            return redirect(f"{reverse('dues:sheet', kwargs={'org_id': org.pk})}?month={form.cleaned_data['month']:%Y-%m}")
    close = selectors.month_close(org, month)
    return render(request, "dues/close.html", {
        "org": org, "month": month, "form": form, "closing": selectors.closing(org, month),
        "stats": close.branches.get(org.pk) or selectors.BranchMonth(org.pk), "can_manage": True,
    }, status=400 if request.method == "POST" else 200)


@login_required
def register_export(request: HttpRequest, org_id: int) -> HttpResponse:
    """党费收缴登记表 for a month, with the signature lines (收款人, 经手人, 支部书记, 日期)."""
    org = _branch(request, org_id, access.AUDIT)
    month = parse_month(request.GET.get("month"), clock.today())
    close = selectors.month_close(org, month)
    entries = selectors.entries_for_month(org, month)
    closing = selectors.closing(org, month)
    services.record_export(actor=request.user, branch=org, what=f"{month:%Y-%m} 党费收缴登记表", count=len(close.rows))
    return xlsx_response(exports.register_bytes(org.name, close, entries, closing), f"{org.name}-{month:%Y-%m}-党费收缴登记表.xlsx")


@login_required
def sheet_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    month = parse_month(request.GET.get("month"), clock.today())
    close = selectors.month_close(org, month)
    entries = selectors.entries_for_month(org, month)
    services.record_export(actor=request.user, branch=org, what=f"{month:%Y-%m} 党费收缴表", count=len(close.rows))
    return xlsx_response(exports.month_sheet_bytes(org.name, close, entries), f"{org.name}-{month:%Y-%m}-党费收缴表.xlsx")


def _member(request: HttpRequest, org_id: int, person_id: int):
    org = access.get_org(request, org_id)
    person = access.access_person(request, org, person_id, access.VIEW, qs=Person.objects.only(
        "id", "name", "branch_id", "user_id", "standing", "active", "admitted_on"))  # own, or the branch lists
    return org, person, access.get_scope(request)


@login_required
def member(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org, person, scope = _member(request, org_id, person_id)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    st = selectors.statement(person, year, today)
    return render(request, "dues/member.html", {
        "org": org, "person": person, "st": st, "year": year, "today": today,
        "can_manage": scope.can(org, access.MANAGE) and org.kind == OrgKind.BRANCH,
        "own": person.user_id == request.user.pk,
    })


@login_required
def member_export(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org, person, _scope = _member(request, org_id, person_id)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    st = selectors.statement(person, year, today)
    return xlsx_response(exports.statement_bytes(org.name, st), f"{person.name}-{year}年党费明细.xlsx")


@login_required
def entry_reverse(request: HttpRequest, org_id: int, entry_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    entry = access.get_object(request, LedgerEntry.objects.select_related("person"), entry_id, org=org)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _rev, replacement = services.correct_entry(
                actor=request.user, branch=org, entry=entry, reason=data["reason"], amount=data["amount"],
                method=data["method"] or None, receipt_number=data["receipt_number"] or None,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已冲正" + (f"，并重新登记 {replacement.amount_paid} 元" if replacement else ""))
            return redirect(f"{reverse('dues:member', kwargs={'org_id': org.pk, 'person_id': entry.person_id})}?year={entry.month.year}")
    return render(request, "dues/reverse.html", {"org": org, "entry": entry, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def overpayment(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    """多交处理: what a member paid above the due of their corrected base, credited to later months
    or refunded, with the approval recorded (managers)."""
    org = _branch(request, org_id, access.MANAGE)
    person = access.get_object(request, Person.objects.only("id", "name", "branch_id", "standing", "active", "admitted_on"),
                               person_id, org=org)
    today = clock.today()
    form = OverpaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            written = services.settle_overpayment(actor=request.user, branch=org, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记多交处理 {len(written)} 条记录（批准：{form.cleaned_data['approval']}）。")
            return redirect("dues:member", org_id=org.pk, person_id=person.pk)
    months = selectors.overpaid_months(person, rules.add_months(today, 0))
    return render(request, "dues/overpayment.html", {
        "org": org, "person": person, "form": form, "months": months,
        "total": sum((m[3] for m in months), selectors.ZERO),
    }, status=400 if request.method == "POST" else 200)


@login_required
def arrears(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    close = selectors.current_arrears(org, today)
    return render(request, "dues/arrears.html", {
        "org": org, "today": today, "close": close, "rows": close.owed_rows(),
        "stats": close.branches.get(org.pk) or selectors.BranchMonth(org.pk),
        "thresholds": rules.ARREARS_THRESHOLDS, "late_limit": rules.MAX_LATE_MONTHS,
        "no_profile": [r for r in close.rows if not r.has_profile],
    })


@login_required
def bases(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    todo, done = selectors.verification_checklist(org, year)
    form = VerifyForm(request.POST or None, choices=[(p.pk, p.name) for p, profile in todo if profile is not None])
    if request.method == "POST" and form.is_valid():
        n = services.verify_profiles(actor=request.user, branch=org, person_ids=form.cleaned_data["person_ids"], on=today)
        messages.success(request, f"已核定 {n} 人的党费基数")
        return redirect(f"{reverse('dues:bases', kwargs={'org_id': org.pk})}?year={year}")
    return render(request, "dues/bases.html", {"org": org, "year": year, "todo": todo, "done": done, "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def base_edit(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    person = access.get_object(request, Person.objects.only("id", "name", "branch_id", "standing", "active", "admitted_on"), person_id, org=org)
    history = list(person.dues_bases.order_by("-effective_month"))
    current = history[0] if history else None
    initial = {"effective_month": rules.add_months(clock.today(), 0), "adjustment": Adjustment.NONE}
    if current is not None:
        initial.update(category=current.category, base=current.base, farmer_amount=current.farmer_amount,
                       adjustment=current.adjustment, reduction=current.reduction, approval_note=current.approval_note)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_profile(actor=request.user, branch=org, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存 {person.name} 的党费基数")
            return redirect("dues:bases", org_id=org.pk)
    return render(request, "dues/base_edit.html", {"org": org, "person": person, "form": form, "history": history},
                  status=400 if request.method == "POST" else 200)


@login_required
def base_template(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    pairs = selectors.latest_profiles(org)
    return xlsx_response(payroll.template_bytes([p for p, _ in pairs], {p.pk: prof for p, prof in pairs if prof}, clock.today()),
                         "党费基数导入模板.xlsx")


@login_required
def base_import(request: HttpRequest, org_id: int) -> HttpResponse:
    """Payroll import. No response may tell whoever cannot reveal ID numbers whether an ID exists:
    matching by ID number is for those with the reveal right (书记, 组织委员); anyone else matches by
    name (a key they already see) and a filled ID column is refused with the same message whatever
    it holds. Every attempt is audited with its row count; attempts are rate-limited per user."""
    org = _branch(request, org_id, access.MANAGE)
    by_id = access.get_scope(request).can(org, access.REVEAL)
    form = PayrollImportForm(request.POST or None, request.FILES or None, initial={"default_month": rules.add_months(clock.today(), 0)})
    outcome = ImportOutcome()
    status = 200
    if request.method == "POST" and not limits.import_allowed(request.user):
        form.add_error(None, limits.refused_message())
        status = 429
    elif request.method == "POST" and form.is_valid():
        seen = {"rows": 0}

        def validate(rows):
            seen["rows"] = len(rows)
            members = list(Person.objects.filter(branch=org, active=True, standing__in=["full", "probationary"])
                           .only("id", "name", "id_number_digest", "branch_id", "standing", "active"))
            return payroll.validate(rows, members=members, default_month=form.cleaned_data["default_month"], by_id=by_id)

        outcome = run_import(form.cleaned_data["file"], read=payroll.read_rows, validate=validate,
                             write=lambda clean: services.import_profiles(actor=request.user, branch=org, rows=clean))
        if outcome.result is None:
            services.record_import_attempt(actor=request.user, branch=org, rows=seen["rows"], errors=len(outcome.errors),
                                           written=False, by_id=by_id)
        status = 400 if outcome.failed else 200
    elif request.method == "POST":
        status = 400
    return render(request, "dues/base_import.html", {"org": org, "form": form, "by_id": by_id, **outcome.context()},
                  status=status)


@login_required
def remittance(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE if request.method == "POST" else access.AUDIT)
    scope = access.get_scope(request)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    months = selectors.year_collection(org, year, last)
    form = RemittanceForm(request.POST or None, initial={
        "period_kind": "month", "period_start": rules.add_months(today, -1), "remitted_on": today,
        "amount": next((m.collected for m in months if m.month == rules.add_months(today, -1)), None),
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.record_remittance(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记上缴")
            return redirect(f"{reverse('dues:remittance', kwargs={'org_id': org.pk})}?year={year}")
    return render(request, "dues/remittance.html", {
        "org": org, "year": year, "months": months, "form": form, "can_manage": scope.can(org, access.MANAGE),
        "remittances": selectors.remittances(org, year),
    }, status=400 if request.method == "POST" else 200)


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    month = parse_month(request.GET.get("month"), today)
    close, rows = selectors.district_summary(org, month, today)
    return render(request, "dues/district.html", {
        "org": org, "month": month, "rows": rows, "total": close.total, "nav": _months_nav(month),
    })


@login_required
def district_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    month = parse_month(request.GET.get("month"), today)
    close, rows = selectors.district_summary(org, month, today)
    services.record_export(actor=request.user, branch=org, what=f"{month:%Y-%m} 党费收缴汇总", count=len(rows))
    return xlsx_response(exports.district_bytes(org.name, month, rows, close.total), f"{org.name}-{month:%Y-%m}-党费汇总.xlsx")


@login_required
def panel(request: HttpRequest, org_id: int) -> HttpResponse:
    """The home-page panel's content, loaded by htmx (see panels.py)."""
    from zhibu.dues import panels

    org = access.get_org(request, org_id)
    if org.kind == OrgKind.GROUP:
        org = access.get_org(request, org.parent_id)
    return HttpResponse(panels.render_panel(request, org))


@login_required
def voluntary(request: HttpRequest, org_id: int) -> HttpResponse:
    """自愿多交党费 (第11条): the branch's voluntary payments of the year; managers record new ones."""
    org = _branch(request, org_id, access.MANAGE if request.method == "POST" else access.AUDIT)
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    today = clock.today()
    year = parse_year(request.GET.get("year"), today.year)
    people = list(selectors.branch_members(org)) if can_manage else []
    form = VoluntaryForm(request.POST or None, people=people, initial={"paid_on": today})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        pid = data.pop("person")
        person = next(p for p in people if p.pk == pid)
        try:
            v = services.record_voluntary(actor=request.user, branch=org, person=person, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记 {person.name} 自愿多交党费 {v.amount} 元" + ("，全额上缴中央" if v.to_centre else ""))
            return redirect(f"{reverse('dues:voluntary', kwargs={'org_id': org.pk})}?year={v.paid_on.year}")
    payments = selectors.voluntary_payments(org, year)
    total = sum((v.amount for v in payments), selectors.ZERO)  # net of reversals
    centre = sum((v.amount for v in payments if v.to_centre), selectors.ZERO)
    reversed_ids = {v.reverses_id for v in payments if v.reverses_id}
    return render(request, "dues/voluntary.html", {
        "org": org, "year": year, "payments": payments, "total": total, "centre": centre, "form": form,
        "reversed_ids": reversed_ids, "count": sum(1 for v in payments if not v.reverses_id and v.pk not in reversed_ids),
        "can_manage": can_manage, "threshold": rules.VOLUNTARY_CENTRE_THRESHOLD, "source": rules.VOLUNTARY_SOURCE,
    }, status=400 if request.method == "POST" else 200)


@login_required
def voluntary_reverse(request: HttpRequest, org_id: int, payment_id: int) -> HttpResponse:
    """Reverse a voluntary payment (managers): a negated row, the original kept."""
    org = _branch(request, org_id, access.MANAGE)
    payment = access.get_object(request, VoluntaryPayment.objects.select_related("person"), payment_id, org=org)
    form = VoluntaryReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_voluntary(actor=request.user, branch=org, payment=payment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已冲正 {payment.person.name} 的自愿多交党费 {payment.amount} 元。")
            return redirect(f"{reverse('dues:voluntary', kwargs={'org_id': org.pk})}?year={payment.paid_on.year}")
    return render(request, "dues/voluntary_reverse.html", {"org": org, "payment": payment, "form": form},
                  status=400 if request.method == "POST" else 200)
