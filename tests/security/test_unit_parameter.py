"""One behaviour for `?unit=` everywhere: a unit inside the user's subtree narrows the page;
one outside it (or one that does not exist, or is not a number) answers 404, as every
record outside the subtree does — never a silent fall-back to "all my units"."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from danvan.accounts.models import Grant
from danvan.emulation.models import Movement
from danvan.org.models import Organization

from ..conftest import login

PAGES = [
    ("plans:index", ()),
    ("plans:tasks", ()),
    ("plans:documents", ()),
    ("plans:programmes", ()),
    ("plans:conferences", ()),
    ("plans:coordinations", ()),
    ("emulation:dashboard", ("movement",)),
    ("emulation:models", ("movement",)),
    ("democracy:index", ()),
    ("democracy:disclosures", ()),
    ("democracy:consultations", ()),
    ("democracy:recommendations", ()),
    ("democracy:bodies", ()),
    ("situation:index", ()),
    ("situation:signals", ()),
    ("situation:reports", ()),
    ("situation:missing", ()),
    ("situation:campaigns", ()),
    ("situation:projects", ()),
    ("reports:index", ()),
    ("reports:reports", ()),
]

# The API answers 422 for a unit that is not a number (a typed parameter), 404 otherwise.
API = [
    ("/api/v1/voices/matters", {}),
    ("/api/v1/voices/dashboard", {"start": "2026-01-01", "end": "2026-12-31"}),
    ("/api/v1/situation/matrix", {"kind": "month", "year": 2026, "index": 1}),
    ("/api/v1/reports/dashboard", {}),
]


@pytest.mark.django_db
def test_a_unit_outside_the_subtree_is_404_on_every_page_and_endpoint():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = get_user_model().objects.get(username="bdv.xa")
    client = Client()
    login(user, client)
    own = Grant.objects.get(user=user).organization
    outside = Organization.objects.exclude(path__startswith=own.path).filter(depth=2).first()
    movement = Movement.objects.order_by("pk").first()
    urls = [(reverse(name, args=[movement.pk for _ in args]), {}) for name, args in PAGES] + API
    wrong = []
    for url, params in urls:
        if (status := client.get(url, {**params, "unit": own.pk}).status_code) != 200:
            wrong.append((url, "own unit", status))
        for unit in (outside.pk, 999999999, "abc"):
            response = client.get(url, {**params, "unit": unit})
            expected = 422 if unit == "abc" and url.startswith("/api/") else 404
            if response.status_code != expected or outside.name in response.content.decode():
                wrong.append((url, unit, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))
