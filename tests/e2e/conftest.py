"""Browser journeys: Playwright's sync API driving Debian's chromium against live_server.

- Never `playwright install`: the browser is the system's /usr/bin/chromium (or
  DANVAN_CHROMIUM). Without it the journeys are skipped locally and fail in CI (CI=true).
- live_server runs in a thread of this process and needs committed data, so these tests
  are transactional: pytest-django empties every table after each of them. The module
  fixture `_reference_data` snapshots the shared reference data (official areas, roles,
  organization types, loaded once per session by tests/conftest.py) before the first
  journey and puts it back after the last one, so tests that run later still find it.
- Static files come from the finders (no collectstatic, no manifest needed).
- Screenshots go to var/screenshots/ (DANVAN_VAR_DIR/screenshots).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("DANVAN_CHROMIUM")
    for candidate in (configured, "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="module")
def _reference_data(django_db_blocker):
    """Snapshot the database before the module's journeys; restore it after them."""
    from django.core.management import call_command
    from django.db import connection

    from danvan.org.models import Area

    with django_db_blocker.unblock():
        if not Area.objects.exists():
            pytest.fail(
                "the reference data (areas) is missing before the browser journeys: a "
                "transactional test that ran earlier emptied the database without restoring it"
            )
        snapshot = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        # pytest-django has flushed after the last journey (and post_migrate recreated the
        # content types and permissions); empty again, then load the snapshot.
        call_command(
            "flush", verbosity=0, interactive=False, database=connection.alias,
            inhibit_post_migrate=True, allow_cascade=True,
        )  # fmt: skip
        restore(snapshot, connection)


def restore(snapshot: str, connection) -> None:
    """Load a serialize_db_to_string() snapshot into empty tables, in bulk (Django's own
    deserialize_db_from_string saves row by row: ~17,000 areas take seconds more)."""
    from django.core import serializers
    from django.db import transaction

    alias = connection.alias
    rows: dict[type, list] = {}
    one_by_one = []
    for item in serializers.deserialize("json", snapshot, using=alias):
        obj = item.object
        if obj._meta.parents:  # bulk_create cannot write multi-table inheritance
            one_by_one.append(item)
            continue
        rows.setdefault(type(obj), []).append(obj)
        for name, values in (item.m2m_data or {}).items():
            field = obj._meta.get_field(name)
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # serialized as a model of its own
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            rows.setdefault(through, []).extend(
                through(**{source: obj.pk, target: value}) for value in values
            )
    with transaction.atomic(using=alias), connection.constraint_checks_disabled():
        for model, objs in rows.items():
            model._base_manager.using(alias).bulk_create(objs, batch_size=500)
        for item in one_by_one:
            item.save(using=alias)
    connection.check_constraints(table_names=[model._meta.db_table for model in rows])
    # PostgreSQL's id sequences still point after the flushed rows: move them past the
    # restored ones, or the next journey's first insert collides (SQLite needs nothing).
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(rows)):
            cursor.execute(statement)


@pytest.fixture(scope="module")
def browser(_reference_data):
    executable = chromium_path()
    if executable is None:
        message = (
            "chromium not found at /usr/bin/chromium (apt-get install chromium, or set "
            "DANVAN_CHROMIUM): browser journeys cannot run"
        )
        if _in_ci():
            pytest.fail(message + " — and CI=true, so this is a failure", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API keeps an asyncio loop on this thread; the test's own
        # database calls are still synchronous and safe.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files from the finders, without collectstatic's manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# On the in-memory SQLite test database the live server shares the test's one connection
# with every request thread. Pages that fire requests in parallel (htmx panels, polling)
# then use it from several threads at once and fail at random ("bad parameter or other
# API misuse", a lost session and a login page). One lock serializes the requests, and
# the test thread's own queries wait for it too.
_SHARED_CONNECTION = threading.RLock()


def _serialized_create_server(original):
    def create_server(self, connections_override=None):
        server = original(self, connections_override=connections_override)
        if not connections_override:
            return server  # a server database: each thread has its own connection
        set_app = server.set_app

        def set_locked_app(app):
            def locked(environ, start_response):
                with _SHARED_CONNECTION:
                    return list(app(environ, start_response))

            set_app(locked)

        server.set_app = set_locked_app
        return server

    return create_server


@pytest.fixture(scope="session", autouse=True)
def _serialized_live_server():
    from django.test.testcases import LiveServerThread

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(
            LiveServerThread,
            "_create_server",
            _serialized_create_server(LiveServerThread._create_server),
        )
        yield


@pytest.fixture(autouse=True)
def _serialized_queries():
    from django.db import connection

    def locked(execute, sql, params, many, context):
        with _SHARED_CONNECTION:
            return execute(sql, params, many, context)

    with connection.execute_wrapper(locked):
        yield


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def screenshot(page):
    """screenshot("home-vi") saves var/screenshots/home-vi.png (the whole page)."""
    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- Journeys on the demo data -----------------------------------------------------------
#
# tests/e2e/test_roles.py walks each demo role's working day on the data `python -m danvan
# demo` builds. The demo is built once per module and snapshotted; pytest-django empties the
# database after each journey, so the next one starts from the snapshot again.

WIDTHS = {1366: 900, 390: 844}


@pytest.fixture(scope="module")
def _demo_snapshot(_reference_data, django_db_blocker):
    from django.core.management import call_command
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        snapshot = connection.creation.serialize_db_to_string()
    return snapshot


@pytest.fixture
def demo(_demo_snapshot, transactional_db):
    """The demo data, as `make run` loads it (rebuilt from the snapshot for each journey)."""
    from django.core.management import call_command
    from django.db import connection

    from danvan.org.models import Organization

    if not Organization.objects.filter(code="31-tu").exists():
        call_command(
            "flush", verbosity=0, interactive=False, database=connection.alias,
            inhibit_post_migrate=True, allow_cascade=True,
        )  # fmt: skip
        restore(_demo_snapshot, connection)
    return True


@pytest.fixture(scope="session", autouse=True)
def _check_report():
    """var/e2e/checks.json: every page checked, at both widths, with what was found."""
    yield
    from django.conf import settings

    from .checks import RESULTS, write_report

    if RESULTS:
        write_report(Path(settings.VAR_DIR) / "e2e" / "checks.json")


def _code(key: bytes, not_before: int = -1) -> str:
    """The code an authenticator app shows now, or the next one when this one was used
    (the server refuses a code twice; it accepts one step ahead)."""
    from django_otp.oath import TOTP

    totp = TOTP(key)
    return f"{totp.token() if totp.t() >= not_before else TOTP(key, drift=1).token():06d}"


def second_step(page, username: str, on_page=lambda step: None) -> None:
    """After the password: set up the authenticator app as a person would (the key typed in
    from the page, the recovery codes acknowledged), or enter its current code."""
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "/account/two-factor/setup/" in page.url:
        on_page("two-factor-setup")
        key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
        page.fill("#id_code", _code(key))
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
        on_page("recovery-codes")
        assert page.locator("#recovery-codes li").count() == 10
        with page.expect_navigation():
            page.locator("main a[role=button]").click()
    elif "/account/two-factor/verify/" in page.url:
        on_page("two-factor-verify")
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_code", _code(device.bin_key, device.last_t + 1))
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()


class Journey:
    """A role's browser at one width: sign in, go, click, and check every page it lands on."""

    def __init__(self, page, checker, *, role: str, name: str, width: int):
        self.page, self.checker = page, checker
        self.role, self.name, self.width = role, name, width

    def sign_in(self, username: str) -> None:
        """Through the sign-in form, with the demo password; lands on the home page."""
        from danvan.web.management.commands.demo import DEMO_PASSWORD

        self.page.goto("/login/")
        self.check()
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.locator("main button[type=submit]").click()
        second_step(self.page, username, self._second_step_page)
        self.check()

    def _second_step_page(self, step: str) -> None:
        self.check()
        self.screenshot(step)

    def sign_out(self) -> None:
        """From the header, or on a phone from the menu."""
        button = self.page.locator(".user-tools button[type=submit]")
        if not button.is_visible():
            self.page.locator(".menu-toggle").click()
            button = self.page.locator(".site-nav .nav-account button[type=submit]")
        with self.page.expect_navigation():
            button.click()

    def check(self):
        result = self.checker.check()
        assert not result.problems, f"{result.url} at {self.width}px: {result.problems}"
        return result

    def visit(self, url: str):
        self.page.goto(url)
        return self.check()

    def click(self, locator):
        """Click something that loads a new page, then check that page."""
        with self.page.expect_navigation():
            locator.click()
        return self.check()

    def screenshot(self, step: str = "") -> Path:
        from django.conf import settings

        folder = Path(settings.VAR_DIR) / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{self.role}-{self.name}{'-' + step if step else ''}-{self.width}.png"
        path = folder / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def journey(browser, live_server, demo):
    """journey(role, name, width) → a Journey in a fresh browser context."""
    from .checks import Checker

    contexts = []

    def start(role: str, name: str, width: int) -> Journey:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": WIDTHS[width]},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        checker = Checker(page, role=role, journey=name, width=width, base_url=live_server.url)
        return Journey(page, checker, role=role, name=name, width=width)

    yield start
    for context in contexts:
        context.close()
