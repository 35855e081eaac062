"""Security findings about dues (issue 11): the payroll import is no ID oracle, every import is audited
with its row count and imports are rate-limited; money is never recorded twice by identical
submissions of the month sheet or of a voluntary payment, one after the other or in parallel."""
import datetime as dt
import threading
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal as D
from http.cookiejar import CookieJar

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orgs.testing import UserFactory, valid_id_number
from zhibu.dues import payroll
from zhibu.dues.models import DuesBase, LedgerEntry, VoluntaryPayment
from zhibu.dues.tests.helpers import give_profiles
from zhibu.dues.tests.test_import import upload, xlsx
from zhibu.orgs.models import Role, RoleKind


@pytest.fixture
def plain_committee(cast, client_for):
    """A 支委 without a committee post: manages the branch, may not reveal ID numbers."""
    user = UserFactory(username="committee-plain")
    Role.objects.create(user=user, organisation=cast.branch, role=RoleKind.COMMITTEE)
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def _errors(response):
    return [(e.column, e.message) for e in response.context["errors"]]


def test_the_import_tells_someone_who_cannot_reveal_nothing_about_an_id(cast, plain_committee):
    member = cast.member_person
    real = member.id_number
    nobody = valid_id_number(dt.date(1970, 1, 2), female=False)
    responses = [upload(plain_committee, cast.branch.pk, xlsx([[member.name, id_number, "在职", 4500, None, None]]))
                 for id_number in (real, nobody, "不是身份证号")]
    assert {r.status_code for r in responses} == {400}
    assert _errors(responses[0]) == _errors(responses[1]) == _errors(responses[2]) == [("身份证号", payroll.ID_NOT_ALLOWED)]
    assert not DuesBase.objects.exists()
    # By name (a key the importer sees) it works.
    assert upload(plain_committee, cast.branch.pk, xlsx([[member.name, "", "在职", 4500, None, None]])).status_code == 200
    assert DuesBase.objects.get(person=member).base == D("4500.00")


def test_who_may_reveal_still_matches_by_id(cast, client_for):
    member = cast.member_person
    response = upload(client_for("secretary"), cast.branch.pk, xlsx([["", member.id_number, "在职", 4500, None, None]]))
    assert response.status_code == 200
    assert DuesBase.objects.get(person=member).base == D("4500.00")


def test_every_import_is_audited_with_its_row_count(cast, plain_committee):
    rows = [[cast.member_person.name, valid_id_number(dt.date(1980, 3, 3)), "在职", 4500, None, None],
            [cast.people[4].name, "", "在职", 5000, None, None]]
    upload(plain_committee, cast.branch.pk, xlsx(rows))
    upload(plain_committee, cast.branch.pk, b"not a workbook")
    upload(plain_committee, cast.branch.pk, xlsx(rows[1:]))
    logged = [e.changes for e in AuditEntry.objects.filter(action="import", object_type="dues.Payroll").order_by("id")]
    assert logged[0] == {"rows": 2, "errors": 1, "written": False, "matched_by_id": False}
    assert logged[1] == {"rows": 0, "errors": 0, "written": False, "matched_by_id": False}
    assert logged[2] == {"rows": 1, "created": 1, "updated": 0}


def test_imports_are_rate_limited_per_user(cast, client_for, settings):
    settings.DUES_IMPORT_LIMIT = 3
    c = client_for("secretary")
    data = xlsx([[cast.member_person.name, "", "在职", 4500, None, None]])
    assert [upload(c, cast.branch.pk, data).status_code for _ in range(3)] == [200, 200, 200]
    refused = upload(c, cast.branch.pk, data)
    assert refused.status_code == 429 and "导入过于频繁" in refused.content.decode()
    assert AuditEntry.objects.filter(action="import").count() == 3
    # Another user has their own count.
    assert upload(client_for("committee"), cast.branch.pk, data).status_code == 200


def test_two_identical_voluntary_posts_record_one_payment(cast, client_for):
    c = client_for("secretary")
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    data = {"person": cast.member_person.pk, "amount": "100.00", "paid_on": clock.today().isoformat()}
    assert c.post(url, data).status_code == 302
    second = c.post(url, data)
    assert second.status_code == 400 and "没有重复登记" in second.content.decode()
    assert VoluntaryPayment.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# parallel submissions at a real server (no idempotency token: the natural keys hold)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _open(opener, url, data, referer):
    request = urllib.request.Request(url, data=data, headers={"Referer": referer})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _logged_in(live_server, user):
    user.set_password("test-pass-123")
    user.save()
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    login_url = live_server.url + reverse("core:login")
    opener.open(login_url).read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"username": user.username, "password": "test-pass-123", "csrfmiddlewaretoken": csrf}).encode()
    assert _open(opener, login_url, body, referer=login_url) == 302
    return opener, next(c.value for c in jar if c.name == "csrftoken")


def _parallel(opener, url, data, n=6) -> list[int]:
    statuses, lock = [], threading.Lock()
    body = urllib.parse.urlencode(data).encode()

    def post():
        status = _open(opener, url, body, referer=url)
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return statuses


@pytest.mark.django_db(transaction=True)
def test_six_parallel_sheet_posts_record_each_payment_once(live_server):
    from zhibu.orgs.testing import make_cast

    cast = make_cast()
    today = clock.today()
    give_profiles(cast, month=dt.date(today.year, 1, 1))
    opener, csrf = _logged_in(live_server, cast.secretary)
    payers = cast.people[:2]
    data = {"csrfmiddlewaretoken": csrf, "month": f"{today:%Y-%m}", "paid_on": today.isoformat(), "default_method": "cash",
            **{f"amount_{p.pk}": "45.00" for p in payers}}
    statuses = _parallel(opener, live_server.url + reverse("dues:sheet", args=[cast.branch.pk]), data)
    assert len(statuses) == 6 and all(s < 500 for s in statuses), statuses
    assert statuses.count(302) == 1
    for p in payers:
        assert LedgerEntry.objects.filter(person=p).count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_parallel_voluntary_posts_record_one_payment(live_server):
    from zhibu.orgs.testing import make_cast

    cast = make_cast()
    opener, csrf = _logged_in(live_server, cast.secretary)
    data = {"csrfmiddlewaretoken": csrf, "person": cast.member_person.pk, "amount": "1000.00",
            "paid_on": clock.today().isoformat()}
    statuses = _parallel(opener, live_server.url + reverse("dues:voluntary", args=[cast.branch.pk]), data)
    assert len(statuses) == 6 and all(s < 500 for s in statuses), statuses
    assert VoluntaryPayment.objects.count() == 1 and VoluntaryPayment.objects.get().to_centre
