"""Bad input gets a clear (Chinese) error and loses nothing: every URL of every app, with junk.

The URLs come from the per-app access cases (see test_access_all_urls.py). As the branch secretary
(and as the district admin, on the district's own pages) each URL is
  - fetched with junk query strings: never a 500;
  - posted an empty form and junk in every field its page's forms show: never a 500, and a page that
    answers 200/400 (did not succeed) wrote no audit entry;
  - for upload forms, sent a junk file, an empty file and a file with a huge name: never a 500, and a
    Chinese error is shown.
No error shown to a user is in English (Django's own messages are translated; ours are Chinese).

Each request runs in a savepoint that is rolled back, so one junk POST (a delete, say) does not
change what the next one sees.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from zhibu.core.models import AuditEntry
from zhibu.core.tests.test_access_all_urls import collect

JUNK_QUERIES = ["year=abc", "year=99999", "month=13", "month=2026-13", "page=-1", "period=xyz", "n=0",
                "year=-1&month=0&period=quarter&n=99", "month=abc&kind=xyz&page=abc"]
JUNK_VALUES = ["", "abc", "-1", "9999999999999", "2026-02-30", "x" * 5000, "<script>alert(1)</script>", "１２３"]
FIELD_JUNK = ["abc", "-1", "9999999999999", "99999999999999999999999", "2026-02-30", "x" * 5000, "１２３"]
PLAUSIBLE = {"date": "2026-03-01", "number": "1", "datetime-local": "2026-03-01T09:00", "text": "测试",
             "textarea": "测试", "email": "a@example.cn", "tel": "13800000000", "password": "test-pass-123",
             "month": "2026-03"}
# Kwarg-less pages everyone signed in has (they are PUBLIC in the access cases, so not listed there).
OWN_PAGES = ["orgs:start", "core:notifications", "orgs:me"]
# Never posted to: it would end the session the remaining requests use.
NO_POST = {"core:logout"}
# POSTs that succeed with a 200 (not a redirect) and rightly write an audit entry.
SUCCESS_WITH_200 = {
    "orgs:person_reveal",  # the revealed value, as an HTML fragment; the reveal is logged
}
# (A response that is not HTML is a download: a success, often logged, e.g. an export.)
# Whole numbers that are looked up, never stored: an out-of-range number finds nothing.
UNBOUNDED_OK = {"record_id"}
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(
    r"Enter a (valid|whole)|This field is required|Select a valid choice|Ensure this value|The submitted file|"
    r"No file was submitted|Upload a valid|is not a valid|Traceback|Exception|Error:|invalid literal|"
    r"does not exist|matching query|out of range|must be|unsupported|not supported|File is not a zip", re.I)


@dataclass
class Form:
    action: str
    method: str
    multipart: bool = False
    fields: dict[str, str] = field(default_factory=dict)  # name -> the page's value (hidden, select, button)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type / tag
    files: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    """The page's <form>s (fields and their values) and the error texts it shows."""

    ERROR_CLASSES = {"errorlist", "flag"}

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.errors: list[str] = []
        self.unbounded: list[str] = []  # whole-number inputs without a maximum
        self._form: Form | None = None
        self._select: str | None = None
        self._error_depth = 0
        self._error_text: list[str] = []
        self._stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        classes = set(a.get("class", "").split())
        is_error = bool(classes & self.ERROR_CLASSES) or (tag == "li" and "error" in classes)
        if tag not in ("input", "br", "img", "meta", "link", "hr", "option"):
            self._stack.append(is_error)
            if is_error:
                self._error_depth += 1
        if tag == "form":
            self._form = Form(action=a.get("action") or self.url, method=(a.get("method") or "get").lower(),
                              multipart="multipart" in a.get("enctype", ""))
            self.forms.append(self._form)
        f = self._form
        if f is None or not a.get("name"):
            if tag == "option" and f is not None and self._select and not f.fields.get(self._select):
                f.fields[self._select] = a.get("value", "")
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "number" and "max" not in a and a.get("step", "1") == "1":
                self.unbounded.append(name)
            f.kinds.setdefault(name, kind)
            if kind == "file":
                f.files.append(name)
            elif kind in ("hidden", "submit", "radio", "checkbox"):
                f.fields.setdefault(name, a.get("value", "on" if kind == "checkbox" else ""))
            else:
                f.fields.setdefault(name, a.get("value", ""))
        elif tag == "button":
            f.kinds.setdefault(name, "button")
            f.fields.setdefault(name, a.get("value", ""))
        elif tag == "select":
            f.kinds.setdefault(name, "select")
            f.fields.setdefault(name, "")
            self._select = name
        elif tag == "textarea":
            f.kinds.setdefault(name, "textarea")
            f.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None
        if tag in ("input", "br", "img", "meta", "link", "hr", "option") or not self._stack:
            return
        if self._stack.pop():
            self._error_depth -= 1
            if self._error_depth == 0:
                text = " ".join("".join(self._error_text).split())
                if text:
                    self.errors.append(text)
                self._error_text = []

    def handle_data(self, data):
        if self._error_depth:
            self._error_text.append(data)


def parse(url: str, response) -> PageParser:
    p = PageParser(url)
    if response.get("Content-Type", "").startswith("text/html"):
        p.feed(response.content.decode("utf-8", "replace"))
    return p


def english_errors(url: str, response) -> list[str]:
    """Error texts a user would see that are not in Chinese."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    page = parse(url, response)
    bad = [e[:120] for e in page.errors if not CJK.search(e) or ENGLISH.search(e)]
    body = response.content.decode("utf-8", "replace")
    bad += [f"…{m.group(0)}…" for m in ENGLISH.finditer(re.sub(r"<(script|style)[^>]*>.*?</\1>", "", body, flags=re.S))
            if not any(m.group(0) in b for b in bad)][:3]
    return bad


def in_savepoint(fn):
    """Run one request and roll its writes back; returns (response, audit entries it wrote)."""
    block = transaction.atomic()
    # Marked like TestCase's own blocks, so the durable services a view calls may open inside it
    # (in production a view runs outside any transaction).
    block._from_testcase = True
    with block:
        before = AuditEntry.objects.count()
        response = fn()
        written = AuditEntry.objects.count() - before
        transaction.set_rollback(True)
    return response, written


@pytest.fixture
def targets(cast, settings, tmp_path):
    """[(who, url_name, url)]: the secretary on every URL; the district admin on every URL of the
    district itself (the cases' org_id swapped for the district's) and the branch pages it may audit."""
    settings.MEDIA_ROOT = tmp_path
    cases, _public = collect(cast)
    out = []
    for name, kwargs in sorted(cases.items()):
        out.append(("secretary", name, reverse(name, kwargs=kwargs)))
        out.append(("district_admin", name, reverse(name, kwargs=kwargs)))
        if set(kwargs) == {"org_id"}:
            out.append(("district_admin", name, reverse(name, kwargs={"org_id": cast.district.pk})))
    for name in OWN_PAGES:
        out.append(("secretary", name, reverse(name)))
    out += [("secretary", name, url) for name, url in _deeper_pages(cast, cases)]
    return out


def _deeper_pages(cast, cases):
    """Pages whose forms the cases alone do not reach: every step of a candidate's file, a 党员大会
    (its vote form), a person without an account."""
    from zhibu.core import clock
    from zhibu.development.rules import SEQUENCE
    from zhibu.orglife import services as orglife_services

    step = cases["development:step"]
    for key in SEQUENCE:
        if key != "assessments":
            yield "development:step", reverse("development:step", kwargs={**step, "step": key})
    start = clock.now().replace(microsecond=0)
    congress = orglife_services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="party_congress",
                                               topic="党员大会", starts_at=start, ends_at=start + dt.timedelta(hours=1))
    yield "orglife:meeting", reverse("orglife:meeting", kwargs={"org_id": cast.branch.pk, "meeting_id": congress.pk})
    yield "orglife:attendance", reverse("orglife:attendance", kwargs={"org_id": cast.branch.pk, "meeting_id": congress.pk})
    nobody = next(p for p in cast.people if p.user_id is None)
    yield "orgs:person_account", reverse("orgs:person_account", kwargs={"org_id": cast.branch.pk, "person_id": nobody.pk})


def clients(cast) -> dict[str, Client]:
    out = {}
    for who in ("secretary", "district_admin"):
        c = Client(raise_request_exception=False)
        c.force_login(getattr(cast, who))
        out[who] = c
    return out


def test_junk_query_strings_never_500(cast, targets):
    by_role = clients(cast)
    failures = []
    for who, name, url in targets:
        for query in JUNK_QUERIES:
            response, _ = in_savepoint(lambda: by_role[who].get(f"{url}?{query}"))
            if response.status_code >= 500:
                failures.append(f"{who} GET {name} {url}?{query} -> {response.status_code}")
            elif bad := english_errors(url, response):
                failures.append(f"{who} GET {name} {url}?{query}: English error {bad}")
    assert not failures, "\n".join(failures)


def _resolve_name(url: str) -> str:
    from django.urls import resolve

    try:
        return resolve(urlsplit(url).path).view_name
    except Exception:  # noqa: BLE001 - an external or unknown action
        return ""


def _forms_by_action(client: Client, url: str) -> list[Form]:
    response, _ = in_savepoint(lambda: client.get(url))
    if response.status_code != 200:
        return []
    return [f for f in parse(url, response).forms if f.method == "post"]


def _junk_payloads(form: Form):
    """Everything junk; then junk with the page's own hidden/select/button values kept (so the view
    gets past "which action?" to the real validation)."""
    for junk in JUNK_VALUES:
        yield f"all={junk[:12]!r}", {n: junk for n in form.fields}
        keep = {n: (v if form.kinds.get(n) in ("hidden", "submit", "button", "select", "radio", "checkbox") and v
                    else junk) for n, v in form.fields.items()}
        if keep != {n: junk for n in form.fields}:
            yield f"kept+{junk[:12]!r}", keep
    # One field at a time, the others as the page filled them in (a date, a year, a choice...) or,
    # where it left them empty, with a plausible value: so that junk gets past the form to the service.
    base = {n: v or PLAUSIBLE.get(form.kinds.get(n, ""), "") for n, v in form.fields.items()}
    yield "plausible", base
    for name in form.fields:
        if name == "csrfmiddlewaretoken":
            continue
        for junk in FIELD_JUNK:
            yield f"{name}={junk[:12]!r}", {**base, name: junk}


def test_junk_posts_never_500_and_write_nothing(cast, targets):
    by_role = clients(cast)
    failures = []
    seen: set[tuple[str, str]] = set()
    for who, name, url in targets:
        if name in NO_POST:
            continue
        client = by_role[who]
        # The URL itself with nothing, then every form its page shows (whatever URL they post to).
        posts = [(name, url, "empty", {}, False)]
        for form in _forms_by_action(client, url):
            action = form.action if form.action.startswith("/") else url
            action_name = _resolve_name(action) or name
            if action_name in NO_POST:
                continue
            for label, data in _junk_payloads(form):
                posts.append((action_name, action, label, data, form.multipart))
        for action_name, action, label, data, _multipart in posts:
            key = (who, f"{action}|{label}|{sorted(data)}")
            if key in seen:
                continue
            seen.add(key)
            response, written = in_savepoint(lambda: client.post(action, data))
            where = f"{who} POST {action_name} {action} ({label}, from {name})"
            if response.status_code >= 500:
                failures.append(f"{where} -> {response.status_code}")
                continue
            html = response.get("Content-Type", "").startswith("text/html")
            if html and response.status_code in (200, 400) and written and action_name not in SUCCESS_WITH_200:
                failures.append(f"{where} -> {response.status_code} but wrote {written} audit entries")
            if html and (bad := english_errors(action, response)):
                failures.append(f"{where}: English error {bad}")
    assert not failures, "\n".join(failures)


BAD_FILES = [
    ("junk.txt", b"\x00\x01\x02 this is not a document \xff\xfe"),
    ("fake.xlsx", b"PK\x03\x04 not really a zip"),
    ("fake.docx", b"not a zip at all"),
    ("empty.xlsx", b""),
    ("长" * 120 + "x" * 200 + ".xlsx", b"junk"),
]


def test_bad_uploads_get_a_chinese_error(cast, targets):
    by_role = clients(cast)
    failures = []
    checked = 0
    seen: set[tuple[str, str]] = set()
    for who, name, url in targets:
        client = by_role[who]
        for form in _forms_by_action(client, url):
            if not form.files:
                continue
            action = form.action if form.action.startswith("/") else url
            if (who, action) in seen:
                continue
            seen.add((who, action))
            for filename, content in BAD_FILES:
                data = {n: v for n, v in form.fields.items()}
                for f in form.files:
                    data[f] = SimpleUploadedFile(filename, content, content_type="application/octet-stream")
                response, written = in_savepoint(lambda: client.post(action, data, follow=True))
                checked += 1
                where = f"{who} upload {filename[:20]!r} to {_resolve_name(action)} {action} (from {name})"
                if response.status_code >= 500:
                    failures.append(f"{where} -> {response.status_code}")
                    continue
                errors = parse(action, response).errors
                if not any(CJK.search(e) for e in errors):
                    failures.append(f"{where} -> {response.status_code}, no Chinese error shown (errors: {errors})")
                if bad := english_errors(action, response):
                    failures.append(f"{where}: English error {bad}")
    assert checked, "no upload form found"
    assert not failures, "\n".join(failures)


def test_login_with_junk_is_a_chinese_error(cast):
    url = reverse("core:login")
    failures = []
    for junk in JUNK_VALUES:
        response = Client(raise_request_exception=False).post(url, {"username": junk, "password": junk})
        if response.status_code >= 500:
            failures.append(f"login {junk[:12]!r} -> {response.status_code}")
        elif bad := english_errors(url, response):
            failures.append(f"login {junk[:12]!r}: English error {bad}")
    assert not failures, "\n".join(failures)


def test_whole_number_inputs_have_a_maximum(cast, targets):
    """A whole number without an upper bound passes the form and then overflows the column (a 500 on
    PostgreSQL: smallint is at most 32767, integer 2147483647; on SQLite beyond 2**63)."""
    by_role = clients(cast)
    failures = set()
    for who, name, url in targets:
        response, _ = in_savepoint(lambda: by_role[who].get(url))
        if response.status_code == 200:
            for field_name in set(parse(url, response).unbounded) - UNBOUNDED_OK:
                failures.add(f"{name}: <input type=number name={field_name}> has no max")
    assert not failures, "\n".join(sorted(failures))


def test_a_vote_count_too_large_for_the_column_is_a_form_error(cast, client_for):
    """Regression: 40000 votes passed the form and broke the smallint column on PostgreSQL."""
    from zhibu.development.tests.access_cases import make_candidate

    candidate, _doc = make_candidate(cast)
    url = reverse("development:step", kwargs={"org_id": cast.branch.pk, "candidate_id": candidate.pk,
                                              "step": "admission_meeting"})
    data = {"date": "2026-03-01", "should_attend": "40000", "present": "40000", "votes_for": "40000",
            "against": "0", "abstain": "0", "secret_ballot": "on", "override_reason": "测试"}
    client = Client(raise_request_exception=False)
    client.force_login(cast.secretary)
    before = AuditEntry.objects.count()
    response = client.post(url, data)
    assert response.status_code == 400
    assert any(CJK.search(e) for e in parse(url, response).errors)
    assert 'value="40000"' in response.content.decode()  # what was typed is kept
    assert AuditEntry.objects.count() == before


def test_a_rejected_thought_report_keeps_what_was_typed(cast):
    """Regression: a bad date sent the user back to the candidate's page with "请填写收到日期" and the
    typed notes gone."""
    from zhibu.development.tests.access_cases import make_candidate

    candidate, _doc = make_candidate(cast)
    url = reverse("development:thought_report", kwargs={"org_id": cast.branch.pk, "candidate_id": candidate.pk})
    client = Client(raise_request_exception=False)
    client.force_login(cast.secretary)
    response = client.post(url, {"received_on": "2026-02-30", "notes": "第三季度思想汇报"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "第三季度思想汇报" in body and "2026-02-30" in body
    assert any(CJK.search(e) for e in parse(url, response).errors)
    assert not candidate.thought_reports.exists()
