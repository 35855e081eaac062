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
