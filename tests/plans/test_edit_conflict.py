"""Two officers edit the same task: the second save does not undo the first. It sees a
conflict with both versions, keeps its input, and saving again is deliberate."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from danvan.core.versions import EditConflict
from danvan.plans import services
from danvan.plans.models import Task

from ..factories import UserFactory, grant

pytestmark = pytest.mark.django_db

TITLE = "Tổ chức hội nghị đối thoại"
DESCRIPTION = "Mời đại diện các hộ."


@pytest.fixture
def task(alice, tree):
    return services.create_task(
        actor=alice, owner=tree["ward"], title=TITLE, description=DESCRIPTION,
        deadline=dt.date(2026, 12, 31),
    )  # fmt: skip


@pytest.fixture
def carol(tree):
    user = UserFactory(username="carol")
    grant(user, "commission_officer", tree["ward"])
    return user


def _posted(page) -> dict:
    """What the edit page posts back as it stands, as a browser would."""
    html = page.content.decode()
    fields = dict(
        re.findall(r'<input type="(?:text|hidden|number)" name="(\w+)" value="([^"]*)"', html)
    )
    fields.update(re.findall(r'<input type="text" name="(\w+)"[^>]*value="([^"]*)"', html))
    fields.pop("csrfmiddlewaretoken", None)
    fields["description"] = re.search(r'name="description"[^>]*>\s*([^<]*)</textarea>', html)[
        1
    ].strip()
    fields["rollup"] = re.search(r'<option value="(\w+)" selected', html)[1]
    return fields


def test_the_second_writer_sees_a_conflict_and_nothing_is_lost(alice, carol, task, client_for):
    url = reverse("plans:task_edit", args=[task.pk])
    first, second = client_for(alice), client_for(carol)
    mine, theirs = _posted(first.get(url)), _posted(second.get(url))
    assert mine["version"] and mine["version"] == theirs["version"]

    assert first.post(url, {**mine, "title": "Hội nghị đối thoại quý IV"}).status_code == 302
    # The second officer changes only the description, from the page opened before.
    page = second.post(url, {**theirs, "description": "Mời cả Mặt trận và các đoàn thể."})
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-error-summary" in html and 'class="conflict"' in html
    assert "Hội nghị đối thoại quý IV" in html  # their title, shown
    assert "Mời cả Mặt trận và các đoàn thể." in html  # my description, kept in the form
    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.description) == ("Hội nghị đối thoại quý IV", DESCRIPTION)

    # Saving again from the conflict page is deliberate: it carries the version now stored.
    again = _posted(page)
    assert again["version"] != theirs["version"]
    again["title"] = "Hội nghị đối thoại quý IV"
    assert second.post(url, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.description) == (
        "Hội nghị đối thoại quý IV",
        "Mời cả Mặt trận và các đoàn thể.",
    )


def test_the_service_refuses_a_stale_version_and_writes_nothing(alice, task):
    from danvan.core.versions import version_of

    old = version_of(task, services.TASK_EDITABLE)
    services.update_task(actor=alice, task=task, title="Mới", expected_version=old)
    with pytest.raises(EditConflict) as conflict:
        services.update_task(actor=alice, task=task, description="x", expected_version=old)
    assert conflict.value.current["title"] == "Mới"
    assert Task.objects.get(pk=task.pk).description == DESCRIPTION


def test_the_api_answers_412_to_a_stale_if_match(alice, task):
    from ..api.conftest import ApiClient, token_for

    api = ApiClient(token_for(alice))
    read = api.get(f"plans/tasks/{task.pk}")
    etag = read["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    changed = api.patch(f"plans/tasks/{task.pk}", {"title": "Mới"}, **{"If-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    stale = api.patch(f"plans/tasks/{task.pk}", {"description": "x"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["code"] == "edit_conflict"
    assert Task.objects.get(pk=task.pk).description == DESCRIPTION
    # Without If-Match a PATCH changes only the fields it sends, as before.
    assert api.patch(f"plans/tasks/{task.pk}", {"description": "y"}).status_code == 200
