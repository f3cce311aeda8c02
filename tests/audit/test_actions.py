"""Every action the log records has its words: the demo runs most services; each event it
writes names a registered action (the log page shows the words, never the code)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from danvan.accounts.models import User
from danvan.audit.actions import ACTIONS, label
from danvan.audit.models import AuditEvent

from ..conftest import login


@pytest.mark.django_db
def test_every_recorded_action_is_registered(settings):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    recorded = set(AuditEvent.objects.values_list("action", flat=True))
    assert len(recorded) > 40
    assert sorted(a for a in recorded if label(a) == a) == []
    assert all(str(text) for text in ACTIONS.values())


def test_every_action_the_source_records_is_registered():
    """What the demo does not run: every `record(action="…")` written in the source."""
    import ast
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "danvan"
    written = {
        keyword.value.value
        for path in src.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record"
        for keyword in node.keywords
        if keyword.arg == "action" and isinstance(keyword.value, ast.Constant)
    }
    assert len(written) > 60
    assert sorted(written - set(ACTIONS)) == []


def test_unknown_codes_and_admin_edits_read_sensibly():
    with translation.override("en"):
        assert label("voices.accept") == "Accepted a matter"
        assert label("org.organization.admin_change") == "Changed in the administration pages"
    assert label("voices.accept") == "Thụ lý vụ việc"
    assert label("no.such") == "no.such"


@pytest.mark.django_db
def test_the_log_page_shows_words(settings):
    from danvan.web.management.commands.demo import DEMO_PASSWORD

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.post("/login/", {"username": "quantri", "password": DEMO_PASSWORD})
    assert client.get("/audit/")["Location"].startswith("/account/two-factor/setup/")
    body = login(User.objects.get(username="quantri"), client).get("/audit/").content.decode()
    assert "Ban hành báo cáo định kỳ" in body  # the demo's last writes
    assert 'title="reports.issue"' in body and ">reports.issue<" not in body


@pytest.mark.django_db
def test_changes_named_like_dict_methods_still_show(superuser):
    """A change recorded under the key "items" (a beneficiary's support) once broke the page."""
    from danvan.audit.context import request_context
    from danvan.audit.log import record
    from danvan.org.models import Area

    with request_context(), transaction.atomic():
        record(actor=superuser, action="situation.add_beneficiary", obj=Area.objects.first(),
               changes={"items": [None, ["gạo", "chăn"]], "note": "một giá trị"})  # fmt: skip
    client = Client()
    login(superuser, client)
    body = client.get("/audit/").content.decode()
    assert "nội dung hỗ trợ" in body and "gạo" in body and "một giá trị" in body
