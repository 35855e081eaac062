"""Shared fixtures: the named cast and logged-in clients."""
import os

import pytest
from hypothesis import HealthCheck, settings

# A loaded 2-core machine (CI runs the suite beside PostgreSQL and a browser): hypothesis judges
# properties, not speed.
settings.register_profile("zhibu", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("zhibu")

# Playwright's sync API runs an event loop in the test thread; the browser tests touch the database
# from that thread too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    # The cache is the database (settings.CACHES): a test without database access has none to clear,
    # and a test with it rolls back what it cached.
    try:
        cache.clear()
    except RuntimeError:
        pass
    yield


@pytest.fixture
def cast(db):
    from zhibu.orgs.testing import make_cast

    return make_cast()


@pytest.fixture
def edge_cast(cast):
    """The cast plus a 支委 without a post and a second district (zhibu.orgs.testing.add_edge_roles)."""
    from zhibu.orgs.testing import add_edge_roles

    return add_edge_roles(cast)


@pytest.fixture
def client_for(client, cast):
    """client_for("secretary") -> a Django test client logged in as that cast member."""
    from django.test import Client

    def make(name: str) -> Client:
        c = Client()
        c.force_login(getattr(cast, name))
        return c

    return make


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


@pytest.fixture
def live_cast(transactional_db):
    """The cast, committed so that the live server thread sees it (browser tests)."""
    from zhibu.orgs.testing import make_cast

    return make_cast()


@pytest.fixture(scope="session")
def _browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, live_server):
    """A fresh desktop-sized page; `page.goto("/path")` is relative to the live server."""
    context = _browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True,
                                   viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(_browser, live_server):
    """A phone-sized page (390×844, touch)."""
    context = _browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844},
                                   is_mobile=True, has_touch=True, device_scale_factor=2)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, username: str, password: str = "test-pass-123") -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def login():
    return browser_login
