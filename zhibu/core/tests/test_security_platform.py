"""Platform findings of the security and trust issues (10, 11, 12): keys, login throttle, HTTPS and
CSP, error pages, audit log, passwords, form input, Chinese messages. Each test failed before its fix."""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client

from zhibu.core import crypto, keys

REPO = Path(__file__).resolve().parents[3]


def _env(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIBU_", "DJANGO_"))}
    env.update({"ZHIBU_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "zhibu.settings"}, **extra)
    return env


def _manage(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zhibu", *args], cwd=REPO, env=_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=120)


# --- 1. Keys --------------------------------------------------------------------------------------

def test_keys_are_random_files_with_mode_0600_generated_once(tmp_path):
    secret, enc = keys.load(tmp_path / "a", environ={}, generate=True)
    again = keys.load(tmp_path / "a", environ={}, generate=True)
    other = keys.load(tmp_path / "b", environ={}, generate=True)
    assert again == (secret, enc)
    assert other[0] != secret and other[1] != enc  # never a constant
    for name in (keys.SECRET_FILE, keys.ENCRYPTION_FILE):
        assert stat.S_IMODE((tmp_path / "a" / name).stat().st_mode) == 0o600
    Fernet(enc[0])  # a valid Fernet key
    assert secret not in enc[0] and enc[0] not in secret


def test_environment_keys_win_and_several_encryption_keys_are_a_list(tmp_path):
    k1, k2 = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    secret, enc = keys.load(tmp_path, environ={"ZHIBU_SECRET_KEY": "s" * 60, "ZHIBU_ENCRYPTION_KEYS": f"{k1}, {k2}"},
                            generate=True)
    assert (secret, enc) == ("s" * 60, [k1, k2])
    assert not (tmp_path / keys.SECRET_FILE).exists()


def test_production_without_keys_refuses_to_start_until_init_keys(tmp_path):
    refused = _manage(tmp_path, "check", ZHIBU_PRODUCTION="1")
    assert refused.returncode != 0 and "zhibu init-keys" in refused.stderr
    assert not (tmp_path / keys.SECRET_FILE).exists()
    created = _manage(tmp_path, "init-keys", ZHIBU_PRODUCTION="1")
    assert created.returncode == 0, created.stderr
    first = (tmp_path / keys.ENCRYPTION_FILE).read_text()
    again = _manage(tmp_path, "init-keys", ZHIBU_PRODUCTION="1")
    assert again.returncode == 0 and (tmp_path / keys.ENCRYPTION_FILE).read_text() == first  # idempotent
    started = _manage(tmp_path, "check", ZHIBU_PRODUCTION="1")
    assert started.returncode == 0, started.stderr


def test_init_keys_command_is_idempotent(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("init-keys", stdout=open(os.devnull, "w"))
    first = (tmp_path / keys.SECRET_FILE).read_text(), (tmp_path / keys.ENCRYPTION_FILE).read_text()
    call_command("init-keys", stdout=open(os.devnull, "w"))
    assert ((tmp_path / keys.SECRET_FILE).read_text(), (tmp_path / keys.ENCRYPTION_FILE).read_text()) == first


def test_the_field_key_is_not_derived_from_the_django_secret(settings):
    token = crypto.encrypt("320902198506010029")
    assert Fernet(settings.ENCRYPTION_KEYS[0].encode()).decrypt(token.encode()) == b"320902198506010029"
    settings.SECRET_KEY = "another-secret-" * 4
    assert crypto.decrypt(token) == "320902198506010029"


def _raw(person, field="id_number") -> str:
    with connection.cursor() as c:
        c.execute(f"SELECT {field} FROM orgs_person WHERE id = %s", [person.pk])
        return c.fetchone()[0]


def test_rotate_keys_re_encrypts_every_field_with_the_first_key(cast, settings):
    from zhibu.orgs.models import Person

    person = cast.people[0]
    id_number, phone = person.id_number, person.phone
    old = settings.ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, old]
    # Readable with the old key, but the start refuses until the data is rotated.
    assert Person.objects.get(pk=person.pk).id_number == id_number
    with pytest.raises(SystemCheckError, match="rotate-keys"):
        call_command("check")
    call_command("rotate-keys", stdout=open(os.devnull, "w"))
    assert Fernet(new.encode()).decrypt(_raw(person).encode()).decode() == id_number
    assert Fernet(new.encode()).decrypt(_raw(person, "phone").encode()).decode() == phone
    settings.ENCRYPTION_KEYS = [new]  # the old key can go
    again = Person.objects.get(pk=person.pk)
    assert (again.id_number, again.phone) == (id_number, phone)
    assert again.id_number_digest == crypto.digest(id_number)  # lookups and uniqueness still work
    call_command("check")


def test_starting_with_keys_that_cannot_read_the_data_refuses_with_a_clear_message(cast, settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SystemCheckError) as exc:
        call_command("check")
    assert "无法用配置的加密密钥解密" in str(exc.value)


def test_the_wsgi_application_refuses_to_start_with_keys_that_cannot_read_the_data(cast, settings):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import zhibu.wsgi

    importlib.reload(zhibu.wsgi)  # the right keys: starts
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured, match="无法用配置的加密密钥解密"):
        importlib.reload(zhibu.wsgi)


# --- 2. Login throttle ------------------------------------------------------------------------------

def _post_login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_attempts_never_lets_the_right_password_in_after_five_failures(monkeypatch):
    """15 wrong passwords in parallel, then the right one while they are still being checked: the
    right one must be refused (each attempt is counted before its password is checked)."""
    from django.contrib.auth import forms as auth_forms
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("burst", password="right-pass-123")
    wrong_n = 15
    arrived = threading.Semaphore(0)
    right_done = threading.Event()
    local = threading.local()
    checked = []
    real = auth_forms.authenticate

    def arrive():
        if not getattr(local, "arrived", False):
            local.arrived = True
            arrived.release()

    def slow_authenticate(request=None, **credentials):
        if credentials.get("password") != "right-pass-123":
            checked.append(1)
            arrive()  # this attempt got past the throttle: hold it until the right one is done
            right_done.wait(20)
        return real(request, **credentials)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    results: dict[str, list] = {"wrong": [], "right": []}

    def wrong():
        try:
            results["wrong"].append(_post_login(Client(), "burst", "wrong-pass").status_code)
        finally:
            arrive()
            connection.close()

    def right():
        try:
            for _ in range(wrong_n):
                assert arrived.acquire(timeout=20)
            results["right"].append(_post_login(Client(), "burst", "right-pass-123"))
        finally:
            right_done.set()
            connection.close()

    threads = [threading.Thread(target=wrong) for _ in range(wrong_n)] + [threading.Thread(target=right)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    (response,) = results["right"]
    assert response.status_code == 200 and "登录失败次数过多" in response.content.decode()
    assert len(checked) <= 5  # no more than 5 passwords were ever checked


@pytest.mark.django_db
def test_the_lock_is_per_account_not_per_address(django_user_model):
    django_user_model.objects.create_user("alice", password="alice-pass-123")
    django_user_model.objects.create_user("bob", password="bob-pass-123")
    for _ in range(5):
        assert _post_login(Client(), "alice", "nope").status_code == 200
    locked = _post_login(Client(), "alice", "alice-pass-123")
    assert locked.status_code == 200 and "登录失败次数过多" in locked.content.decode()
    # Bob, behind the same school NAT address, still signs in.
    assert _post_login(Client(), "bob", "bob-pass-123").status_code == 302


@pytest.mark.django_db
def test_one_address_has_a_higher_ceiling_across_accounts(django_user_model, settings):
    settings.LOGIN_ADDRESS_LIMIT = 12
    django_user_model.objects.create_user("carol", password="carol-pass-123")
    for i in range(12):
        _post_login(Client(), f"guess{i}", "nope", address="10.9.9.9")
    assert "登录失败次数过多" in _post_login(Client(), "carol", "carol-pass-123", address="10.9.9.9").content.decode()
    assert _post_login(Client(), "carol", "carol-pass-123", address="10.9.9.10").status_code == 302


@pytest.mark.django_db
def test_throttle_state_lives_in_the_database_and_the_cache_is_shared(settings):
    from django.core.cache import cache

    from zhibu.core.models import LoginThrottle

    _post_login(Client(), "dave", "nope")
    assert LoginThrottle.objects.filter(key__startswith="user:").get().count == 1
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("shared", 1)  # the table exists (created by migrate)
    assert cache.get("shared") == 1


# --- 3. HTTPS and CSP --------------------------------------------------------------------------------

def test_check_deploy_with_the_documented_production_settings_prints_no_warnings(tmp_path):
    result = _manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING",
        ZHIBU_PRODUCTION="1", ZHIBU_HTTPS="1", ZHIBU_ALLOWED_HOSTS="zhibu.example.edu.cn",
        ZHIBU_SECRET_KEY=keys.new_secret_key(), ZHIBU_ENCRYPTION_KEYS=keys.new_fernet_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_code(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:|hx-on", re.I)


def test_no_template_has_inline_scripts_styles_or_handlers():
    offenders = []
    for path in sorted((REPO / "zhibu").rglob("templates/**/*.html")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{n}")
    assert offenders == []


# --- 4. Error pages ------------------------------------------------------------------------------------

def _is_error_page(response, status: int, title: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert title in html and "返回首页" in html and 'href="/"' in html
    assert "支部工作平台" in html  # the app's layout (footer)
    assert not re.search(r"Not Found|Forbidden|Server Error|Bad Request|CSRF verification", html)


def test_404_is_chinese_inside_the_layout(client_for):
    _is_error_page(client_for("secretary").get("/no/such/page/"), 404, "页面不存在")


def test_403_is_chinese_inside_the_layout(client_for, cast):
    from django.urls import reverse

    response = client_for("member").get(reverse("orgs:audit_log", args=[cast.branch.pk]))
    _is_error_page(response, 403, "没有权限")


@pytest.mark.django_db
def test_400_is_chinese_inside_the_layout(client):
    _is_error_page(client.get("/login/", HTTP_HOST="evil.example.com"), 400, "请求无效")


@pytest.mark.django_db
@pytest.mark.urls("zhibu.core.tests.error_urls")
def test_500_is_chinese_inside_the_layout():
    client = Client(raise_request_exception=False)
    _is_error_page(client.get("/boom/"), 500, "系统出错了")


@pytest.mark.django_db
def test_csrf_failure_is_chinese_inside_the_layout():
    client = Client(enforce_csrf_checks=True)
    _is_error_page(client.post("/login/", {"username": "x", "password": "y"}), 403, "页面已过期")


# --- 6. Passwords -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["password", "11111111", "zhibu", "12345678"])
def test_weak_passwords_are_refused_in_chinese(password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    for message in exc.value.messages:
        assert re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"[A-Za-z]{4,}", message.replace("password", ""))


def test_password_help_texts_are_chinese():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert len(texts) == 4 and all(re.search(r"[\u4e00-\u9fff]", t) for t in texts)


@pytest.mark.django_db
def test_a_similar_password_is_refused_in_chinese(django_user_model):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = django_user_model(username="wangfang2026")
    with pytest.raises(ValidationError, match="太相似"):
        validate_password("wangfang2026", user)


# --- 5. Audit log ---------------------------------------------------------------------------------------

def _import_plan(cast):
    from zhibu.plans import services as plan_services

    return plan_services.create_from_parsed(
        actor=cast.secretary, branch=cast.branch, year=2026, half="full", title="2026年党支部工作计划",
        source_text="一月份\n1. 召开支委会", sections=[{"number": "一", "heading": "指导思想", "level": 1, "body": ""}],
        items=[{"months": [1], "text": "召开支委会", "kinds": ["committee_meeting"], "theme": ""}],
    )


def test_the_audit_log_after_a_plan_import_shows_chinese_labels_and_names(client_for, cast):
    from django.urls import reverse

    _import_plan(cast)
    response = client_for("secretary").get(reverse("orgs:audit_log", args=[cast.branch.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入" in html and "新增项目数：1" in html
    assert f"支部：（空） → {cast.branch.name}" in html and "年度：（空） → 2026" in html
    assert "branch_id" not in html and "[None" not in html and "None" not in html


def test_the_audit_log_shows_field_labels_old_and_new_values_and_related_names(client_for, cast):
    from django.urls import reverse

    from zhibu.core.audit_display import describe
    from zhibu.core.models import AuditEntry
    from zhibu.orgs.models import Person

    person = cast.people[0]
    entry = AuditEntry.objects.create(
        at="2026-03-01T08:00:00+08:00", actor=cast.secretary, organisation=cast.branch, action="update",
        object_type="orgs.Person", object_id=str(person.pk), object_repr=person.name,
        changes={"branch_id": [None, cast.branch.pk], "name": ["旧名", person.name], "phone": ["***", "***"],
                 "standing": [Person._meta.get_field("standing").choices[0][0], person.standing]},
    )
    (row,) = describe([entry])
    labels = {c.label: (c.old, c.new) for c in row.changes}
    assert labels[str(Person._meta.get_field("branch").verbose_name)] == ("（空）", cast.branch.name)
    assert labels[str(Person._meta.get_field("name").verbose_name)] == ("旧名", person.name)
    assert row.object == f"人员：{person.name}" and row.action == "修改"
    standing = Person._meta.get_field("standing")
    assert labels["政治面貌" if "政治面貌" in labels else str(standing.verbose_name)][1] == dict(standing.flatchoices)[person.standing]
    assert client_for("secretary").get(reverse("orgs:audit_log", args=[cast.branch.pk])).status_code == 200


def _audit_actions_in(tree, members: set[str], where: str) -> set[str]:
    """The action values of every audit.record(...) / AuditEntry(...) call: literals, conditional
    literals and `Action.X` members (an unknown member fails here)."""
    import ast

    def values(node) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return values(node.body) | values(node.orelse)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Action":
            assert node.attr in members, f"{where}: Action.{node.attr}"
            return set()
        return set()

    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        if (name in ("record",) and owner == "audit") or name == "AuditEntry":
            for kw in node.keywords:
                if kw.arg == "action":
                    found |= values(kw.value)
    return found


def test_every_audit_action_used_anywhere_has_a_chinese_label_owned_by_an_app():
    import ast

    from zhibu.core.audit import ACTION_LABELS
    from zhibu.core.hooks import app_modules

    members = {name for m in app_modules("audit_actions") for name in m.Action.__members__}
    used = set()
    for path in (REPO / "zhibu").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit" in text or "AuditEntry" in text:
            used |= _audit_actions_in(ast.parse(text), members, str(path.relative_to(REPO)))
    assert {"import", "orgs.appoint", "workdays.set_holiday"} <= used
    missing = sorted(used - set(ACTION_LABELS))
    assert not missing, missing
    for label in ACTION_LABELS.values():
        assert re.search(r"[\u4e00-\u9fff]", label)
    # Each app owns its actions: core's are the generic ones only.
    core = [m for m in app_modules("audit_actions") if m.__name__ == "zhibu.core.audit_actions"][0]
    assert set(core.Action.values) == {"create", "update", "delete", "import", "export"}


@pytest.mark.browser
def test_browser_the_audit_log_page_after_a_plan_import(browser_page, live_cast, login):
    _import_plan(live_cast)
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/audit/")
    assert browser_page.locator("h1").first.inner_text().startswith("操作日志")
    text = browser_page.locator("table").inner_text()
    assert "导入" in text and "新增项目数" in text and "branch_id" not in text


# --- 7. One form mixin; one period query form -------------------------------------------------------------

def _all_project_forms():
    import importlib
    import pkgutil

    from django import forms

    import zhibu

    for info in pkgutil.walk_packages(zhibu.__path__, "zhibu."):
        name = info.name
        if any(part in name.split(".") for part in ("tests", "migrations", "management", "manage", "__main__", "wsgi")):
            continue
        if name.rsplit(".", 1)[-1] in ("forms", "views", "dates") or name.endswith("forms"):
            importlib.import_module(name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("zhibu.") and ".tests" not in c.__module__]


def test_every_form_in_the_project_has_the_one_form_mixin():
    from zhibu.core.forms import ZhibuFormMixin

    found = _all_project_forms()
    assert len(found) > 30
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, ZhibuFormMixin))
    assert missing == []


def _form(**fields):
    from django import forms

    from zhibu.core.forms import ZhibuFormMixin

    return type("F", (ZhibuFormMixin, forms.Form), fields)


def test_text_fields_refuse_control_characters_in_chinese():
    from django import forms

    F = _form(name=forms.CharField(), notes=forms.CharField(widget=forms.Textarea, required=False))
    bad = F({"name": "张\x07三", "notes": "第一行\x1b"})
    assert not bad.is_valid()
    assert "控制字符" in bad.errors["name"][0] and "控制字符" in bad.errors["notes"][0]
    newline = F({"name": "张\n三", "notes": "第一行\r\n\t第二行"})
    assert not newline.is_valid() and list(newline.errors) == ["name"]
    assert "一行" in newline.errors["name"][0]
    assert F({"name": "张三", "notes": "第一行\n第二行"}).is_valid()
    assert "\x00" not in str(F({"name": "a\x00b"}).errors) and "控制字符" in str(F({"name": "a\x00b"}).errors)


def test_date_inputs_show_iso_values_as_date_pickers():
    import datetime as dt

    from django import forms

    F = _form(born=forms.DateField(), held=forms.DateField(widget=forms.DateInput(attrs={"class": "x"})),
              month=forms.DateField(widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m")))
    html = str(F(initial={"born": dt.date(1993, 3, 25), "held": dt.date(2026, 10, 8), "month": dt.date(2026, 3, 1)}))
    assert 'type="date"' in html and 'value="1993-03-25"' in html and 'value="2026-10-08"' in html
    assert "1993/03/25" not in html
    assert 'type="month"' in html and 'value="2026-03"' in html  # a month input keeps its own format


@pytest.mark.django_db
def test_the_person_form_fills_birth_dates_as_iso(cast):
    from zhibu.orgs.forms import PersonForm

    person = cast.people[0]
    form = PersonForm(instance=person, branch=cast.branch) if "branch" in PersonForm.__init__.__code__.co_varnames else PersonForm(instance=person)
    assert f'value="{person.birth_date:%Y-%m-%d}"' in str(form["birth_date"])


@pytest.mark.parametrize("value", ["1899-12-31", "2101-01-01", "9999-12-31"])
def test_years_outside_1900_2100_are_refused_in_chinese(value):
    from django import forms

    F = _form(day=forms.DateField(), year=forms.IntegerField(required=False))
    form = F({"day": value, "year": value[:4]})
    assert not form.is_valid()
    assert form.errors["day"] == ["年份应在1900—2100年之间。"]
    assert form.errors["year"] == ["年份应在1900—2100年之间。"]
    assert F({"day": "1900-01-01", "year": "2100"}).is_valid()


def test_period_query_form_bounds_years_and_months():
    import datetime as dt

    from zhibu.core.clock import frozen
    from zhibu.core.forms import PeriodQueryForm

    with frozen(dt.date(2026, 5, 20)):
        assert PeriodQueryForm.period({"month": "2026-03"}) == (2026, 3, "")
        assert PeriodQueryForm.period({"year": "2027"}) == (2027, None, "")
        year, month, message = PeriodQueryForm.period({"month": "9999-12"})
        assert (year, month) == (2026, None) and "2000—2100" in message
        assert PeriodQueryForm.period({"year": "abc"})[2] == "请输入整数。"
        assert "1—12" in PeriodQueryForm.period({"month": "2026-13"})[2]
        assert PeriodQueryForm.first_of_month({"month": "junk"})[0] == dt.date(2026, 5, 1)


@pytest.mark.parametrize("url", ["dues:sheet", "dues:index", "orglife:index", "orgs:home"])
def test_a_month_or_year_out_of_range_in_the_query_gives_a_chinese_message_never_a_500(client_for, cast, url):
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse(url, args=[cast.branch.pk])
    except NoReverseMatch:
        pytest.skip(f"{url} is not installed")
    c = client_for("secretary")
    for query in ("?month=9999-12", "?year=99999", "?month=0000-00", "?year=-1"):
        response = c.get(path + query)
        assert response.status_code == 200, query
        assert "查询的年月有误" in response.content.decode(), query


# --- 9. Django's stock messages in plain Chinese ---------------------------------------------------------

def test_django_stock_messages_read_as_plain_chinese():
    from django import forms

    F = _form(name=forms.CharField(), count=forms.IntegerField(max_value=10), day=forms.DateField(),
              kind=forms.ChoiceField(choices=[("a", "甲")]))
    form = F({"name": "", "count": "11", "day": "昨天", "kind": "z"})
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写此项。"]
    assert form.errors["count"] == ["不能大于10。"]
    assert form.errors["day"] == ["请输入正确的日期（如 2026-03-01）。"]
    assert form.errors["kind"][0].startswith("请从列表中选择")
    assert "这个字段是必填项" not in str(F({}).errors)


@pytest.mark.browser
def test_browser_pages_run_under_the_content_security_policy_without_violations(browser_page, live_cast, login):
    """Every tab of a branch (and a plan with its calendar) as the secretary: no inline script,
    style or handler is refused by the browser, and confirm dialogs still work from data-confirm."""
    plan = _import_plan(live_cast)
    violations = []
    browser_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/")
    tabs = browser_page.locator("nav.tabs a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(tabs) >= 3
    for href in [*tabs, f"/o/{live_cast.branch.pk}/plans/{plan.pk}/", "/no/such/page/"]:
        browser_page.goto(href)
        browser_page.wait_for_load_state("networkidle")
    assert violations == []
    # data-confirm replaces onsubmit="return confirm(...)": dismissing the dialog keeps the page.
    browser_page.goto(f"/o/{live_cast.branch.pk}/plans/{plan.pk}/")
    form = browser_page.locator("form[data-confirm]")
    assert form.count() >= 1
    asked = []
    browser_page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    url = browser_page.url
    form.first.locator("button").first.click()
    browser_page.wait_for_load_state("networkidle")
    assert asked and "确定" in asked[0] and browser_page.url == url


def _ui_text_files():
    files = sorted((REPO / "zhibu").rglob("templates/**/*.html"))
    files += sorted(p for p in (REPO / "zhibu").rglob("*.py")
                    if p.name in ("forms.py", "views.py", "reminders.py") and "tests" not in p.parts)
    return files


def test_ui_text_uses_full_width_punctuation():
    """Templates, forms, views and reminders: ，：；（） next to Chinese text (fix a file with
    `python -m zhibu.core.punctuation FILE`)."""
    from zhibu.core import punctuation

    offenders = []
    for path in _ui_text_files():
        source = path.read_text(encoding="utf-8")
        fixed = punctuation.fix_python(source) if path.suffix == ".py" else punctuation.fix_template(source)
        for n, (a, b) in enumerate(zip(source.splitlines(), fixed.splitlines()), 1):
            if a != b:
                offenders.append(f"{path.relative_to(REPO)}:{n}: {a.strip()[:80]}")
    assert offenders == []


def test_punctuation_rewrites_text_but_not_code_regexes_or_placeholders():
    from zhibu.core.punctuation import fix_python, fix_template, fix_text

    assert fix_text("文件(.xlsx),请重试:第3行(共5行)") == "文件（.xlsx），请重试：第3行（共5行）"
    assert fix_text("%(name)s 已存在, 12:30 https://a.b/c") == "%(name)s 已存在， 12:30 https://a.b/c"
    assert fix_python('x = r"(一|二)月:"\ny = f"{f(a, b)}人,实到{n}人"\n') == 'x = r"(一|二)月:"\ny = f"{f(a, b)}人，实到{n}人"\n'
    assert fix_template('<a title="上一年(旧)" href="?y={{ y|add:-1 }}">年份:{{ y }}</a>') == \
        '<a title="上一年（旧）" href="?y={{ y|add:-1 }}">年份：{{ y }}</a>'


def test_fields_a_form_adds_after_init_get_the_same_checks():
    from django import forms

    from zhibu.core.forms import ZhibuFormMixin

    class Rows(ZhibuFormMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["note_1"] = forms.CharField()
            self.fields["paid_1"] = forms.DateField()

    form = Rows({"note_1": "收\x0b据", "paid_1": "2150-01-01"})
    assert not form.is_valid()
    assert "控制字符" in form.errors["note_1"][0] and form.errors["paid_1"] == ["年份应在1900—2100年之间。"]
    assert 'type="date"' in str(Rows()["paid_1"])
    form.full_clean()  # adapting again adds nothing twice
    assert len(form.errors["paid_1"]) == 1


def test_behind_the_proxy_the_login_throttle_counts_the_client_not_the_proxy(settings):
    from django.test import RequestFactory

    from zhibu.core.forms import client_address

    request = RequestFactory().post("/login/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")
    settings.TRUSTED_PROXY = False
    assert client_address(request) == "127.0.0.1"  # no proxy configured: the header is the client's word
    settings.TRUSTED_PROXY = True
    assert client_address(request) == "10.1.2.3"  # the address nginx appended, not a forged first entry
    assert client_address(RequestFactory().post("/login/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
