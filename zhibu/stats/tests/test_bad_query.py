"""Junk query strings on every stats page (core/tests/test_bad_input.py's rules, for this app only):
never a 500, never English error text."""

import pytest
from django.test import Client
from django.urls import reverse

from zhibu.core.tests.test_bad_input import JUNK_QUERIES, english_errors
from zhibu.stats.tests.access_cases import cases

EXTRA = ["year=2026&report=half", "year=2100&report=year", "report=%00", "year=1999", "page=-1", "page=99999", "page=x"]


@pytest.mark.django_db
def test_junk_queries_on_stats_pages(cast):
    failures = []
    for who in ("secretary", "district_admin"):
        c = Client(raise_request_exception=False)
        c.force_login(getattr(cast, who))
        for name, kwargs in cases(cast).items():
            urls = [reverse(name, kwargs=kwargs)]
            if who == "district_admin" and set(kwargs) == {"org_id"}:
                urls = [reverse(name, kwargs={"org_id": cast.district.pk})]
            for url in urls:
                for query in [*JUNK_QUERIES, *EXTRA]:
                    response = c.get(f"{url}?{query}")
                    if response.status_code >= 500:
                        failures.append(f"{who} {url}?{query} -> {response.status_code}")
                    elif bad := english_errors(url, response):
                        failures.append(f"{who} {url}?{query}: English {bad}")
    assert not failures, "\n".join(failures)
