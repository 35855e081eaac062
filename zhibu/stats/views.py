"""Thin views of 党内统计. Everything here is read from the records (最多报一次, rules2.md §5).

Levels: the tables, their drill-downs and the completeness lists are for those who may read an
organisation's people — the branch's managers for their branch, the district admin and auditor for
the district and every branch below (AUDIT). The national-system export carries ID numbers, phones
and addresses in the clear: the branch's 书记/组织委员 only (REVEAL), and it is logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhibu.core import clock
from zhibu.core.http import xlsx_response
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.stats import exports, rules, selectors, services
from zhibu.stats.forms import PERIODS, StatsQueryForm

PAGE_SIZE = 100


def _org(request: HttpRequest, org_id: int, need: str = access.AUDIT) -> Organisation:
    org = access.get_org(request, org_id, need)
    if org.kind == OrgKind.GROUP and org.parent_id:  # a 党小组's people are its branch's
        org = access.get_org(request, org.parent_id, need)
    return org


def _period(request: HttpRequest, org: Organisation):
    half_allowed = selectors.half_year_enabled(org)
    year, half, message = StatsQueryForm.read(request.GET, half_allowed=half_allowed)
    today = clock.today()
    if year > today.year:
        year, message = today.year, f"{year}年尚未到来，显示{today.year}年。"
    start, on, cut = selectors.as_of(year, half)
    return {
        "year": year,
        "half": half,
        "start": start,
        "on": on,
        "cut": cut,
        "message": message,
        "half_allowed": half_allowed,
        "query": f"year={year}&report={'half' if half else 'year'}",
        "years": list(range(today.year, today.year - 10, -1)),
        "periods": PERIODS,
    }


@login_required
@require_GET
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    p = _period(request, org)
    report, _branches = selectors.report(org, start=p["start"], on=p["on"])
    tables = [{"table": t, "rows": [(r, report.figure(t.key, r.key)) for r in t.rows]} for t in rules.TABLES]
    return render(
        request,
        "stats/index.html",
        {
            "org": org,
            "p": p,
            "tables": tables,
            "label": exports.period_label(p["on"], p["half"]),
            "can_export_members": org.kind == OrgKind.BRANCH and access.get_scope(request).can(org, access.REVEAL),
        },
    )


@login_required
@require_GET
def cell(request: HttpRequest, org_id: int, table: str, row: str) -> HttpResponse:
    """The people (or organisations) behind one figure, as many as the figure says."""
    org = _org(request, org_id)
    spec = rules.TABLES_BY_KEY.get(table)
    line = spec.row(row) if spec else None
    if spec is None or line is None:
        raise Http404("没有这项统计")
    p = _period(request, org)
    report, branch_of = selectors.report(org, start=p["start"], on=p["on"])
    ids = report.cells[table][row]
    if spec.subject == "people":
        ids = sorted(ids, key=lambda pk: (branch_of.get(pk, 0), pk))
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    ids_here = list(page.object_list)
    items = selectors.people_page(ids_here) if spec.subject == "people" else selectors.organisations_page(ids_here)
    return render(
        request,
        "stats/cell.html",
        {
            "org": org,
            "p": p,
            "table": spec,
            "row": line,
            "total": len(ids),
            "page": page,
            "items": items,
            "label": exports.period_label(p["on"], p["half"]),
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _org(request, org_id)
    p = _period(request, org)
    report, _branches = selectors.report(org, start=p["start"], on=p["on"])
    content = exports.tables_workbook(org, report, half=p["half"])
    return xlsx_response(content, f"党内统计{p['year']}{'半年报' if p['half'] else '年报'}-{org.name}.xlsx")


@login_required
@require_GET
def branch(request: HttpRequest, org_id: int) -> HttpResponse:
    """Completeness against the 全国党员管理信息系统: a branch's members and what each record lacks;
    above a branch, the per-branch counts (each links to its branch's list)."""
    org = _org(request, org_id)
    context = {"org": org, "fields": rules.NATIONAL_FIELDS, "source": rules.SOURCE_NATIONAL}
    if org.kind == OrgKind.BRANCH:
        gaps = selectors.gaps(org)
        context.update(
            gaps=[g for g in gaps if g.missing],
            members=len(gaps),
            can_manage=access.get_scope(request).can(org, access.MANAGE),
            can_export_members=access.get_scope(request).can(org, access.REVEAL),
        )
        return render(request, "stats/branch.html", context)
    rows = selectors.branch_gaps(org)
    context.update(rows=rows, members=sum(r.members for r in rows), incomplete=sum(r.incomplete for r in rows))
    return render(request, "stats/district.html", context)


@login_required
@require_GET
def members_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.REVEAL, follow_group=True)
    people = selectors.export_people(org)
    missing = {g.person_id: g.missing for g in selectors.gaps(org)}
    content = exports.members_workbook(org, people, selectors.sponsors_from_files(org), missing)
    services.record_member_export(actor=request.user, branch=org, count=len(people))
    return xlsx_response(content, f"党员信息-全国党员管理信息系统-{org.name}.xlsx")
