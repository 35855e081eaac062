"""Every URL the app has is covered: an outsider (a member of another branch) and an anonymous
visitor get nothing of the cast's branch. A new URL without a case here fails the suite.

Each app declares its cases in `zhibu/<app>/tests/access_cases.py`:
    def cases(cast) -> dict[url_name, kwargs]   # kwargs pointing at the cast's branch and its objects
    PUBLIC = {url_name, ...}                     # URLs that are public by design (login, health)
"""
from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern):
                assert p.name, f"URL pattern {p.pattern} has no name"
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def collect(cast):
    cases, public = {}, set()
    from zhibu.core.hooks import app_modules

    for module in app_modules("tests.access_cases"):
        cases.update(module.cases(cast))
        public |= set(getattr(module, "PUBLIC", ()))
    return cases, public


@pytest.fixture
def url_cases(cast):
    cases, public = collect(cast)
    return cases, public


def test_every_url_has_an_access_case(url_cases):
    cases, public = url_cases
    missing = sorted(all_url_names() - set(cases) - public)
    assert not missing, f"URLs without an access test case: {missing}"
    stale = sorted(set(cases) - all_url_names())
    assert not stale, f"access cases for URLs that do not exist: {stale}"


def test_outsider_gets_404_or_403_everywhere(url_cases, client_for):
    cases, _public = url_cases
    outsider = client_for("outsider")
    failures = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(outsider, method)(url)
            if response.status_code not in (403, 404, 405):
                failures.append(f"{method.upper()} {name} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_login_or_refused(url_cases, client):
    cases, _public = url_cases
    failures = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        ok = response.status_code in (403, 404) or (response.status_code == 302 and "/login/" in response["Location"])
        if not ok:
            failures.append(f"GET {name} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_secretary_reaches_every_page_without_error(url_cases, client_for):
    """The other side of the coin: the branch's own secretary is not refused and nothing crashes."""
    cases, _public = url_cases
    secretary = client_for("secretary")
    failures = []
    for name, kwargs in sorted(cases.items()):
        response = secretary.get(reverse(name, kwargs=kwargs))
        if response.status_code >= 500 or response.status_code == 404:
            failures.append(f"GET {name} -> {response.status_code}")
    assert not failures, "\n".join(failures)


# --- The probe's other roles (issue 11): a second district, a reviewer, a 支委 without a post --------

def _walker(cast, name: str):
    """A logged-in client that reports a crash as a 500 (the walk lists every failure, not the first)."""
    from django.test import Client

    c = Client(raise_request_exception=False)
    c.force_login(getattr(cast, name))
    return c


def test_second_district_admin_gets_404_or_403_everywhere(edge_cast, url_cases):
    """A district admin reaches their own subtree only: every page of another district's branch is refused."""
    cases, _public = url_cases
    other = _walker(edge_cast, "other_district_admin")
    failures = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(other, method)(url)
            if response.status_code not in (403, 404, 405):
                failures.append(f"{method.upper()} {name} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


def test_reviewer_reads_and_writes_nothing(edge_cast, url_cases):
    """审阅 (auditor) is read-only: no page fails, and no POST anywhere writes (every write is audited;
    read-only pages may answer a POST like a GET)."""
    from zhibu.core.models import AuditEntry

    cases, _public = url_cases
    reviewer = _walker(edge_cast, "auditor")
    failures = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        if reviewer.get(url).status_code >= 500:
            failures.append(f"GET {name} -> 500")
        writes = AuditEntry.objects.exclude(action="export")  # a download is a read, logged as one
        before = writes.count()
        response = reviewer.post(url)
        if response.status_code >= 500 or writes.count() != before:
            failures.append(f"POST {name} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


# Pages for the 书记/组织委员 (reveal) or the 书记 and the district (appointments, roles, passwords).
NEEDS_REVEAL_OR_APPOINT = {"orgs:person_reveal", "orgs:positions", "orgs:position_edit", "orgs:position_remove",
                           "orgs:password_reset", "orgs:person_account", "orgs:roster_import", "orgs:roster_export"}


def test_committee_member_without_a_post_manages_but_neither_reveals_nor_appoints(edge_cast, url_cases):
    from zhibu.core.models import AuditEntry

    cases, _public = url_cases
    plain = _walker(edge_cast, "plain_committee")
    failures = []
    for name, kwargs in sorted(cases.items()):
        url = reverse(name, kwargs=kwargs)
        status = plain.get(url).status_code
        if status >= 500 or status == 404:
            failures.append(f"GET {name} -> {status}")
        if name in NEEDS_REVEAL_OR_APPOINT:
            response = plain.post(url)
            if response.status_code != 403:
                failures.append(f"POST {name} {url} -> {response.status_code} (should be refused)")
    assert not failures, "\n".join(failures)
    assert not AuditEntry.objects.filter(action__in=["reveal", "orgs.appoint", "orgs.remove_appointment"]).exists()
    assert not AuditEntry.objects.filter(action="export", object_type="orgs.Roster").exists()  # IDs in the clear
