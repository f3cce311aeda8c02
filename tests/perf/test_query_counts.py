"""No N+1 on list pages and API list endpoints: the number of queries a page makes is the
same with two and a half times the data (the generator at two densities), for a commune officer, a
province officer and a superuser."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.datagen import generate as gen

from ..conftest import login

PAGES = [
    ("models page", "/emulation/{movement}/models/"),
    ("models page, page 2", "/emulation/{movement}/models/?page=2"),
    ("models API", "/api/v1/emulation/models?movement={movement}"),
    ("worklist page", "/voices/"),
    ("matters API", "/api/v1/voices/matters"),
    ("petitions API", "/api/v1/voices/petitions"),
    ("voices dashboard page", "/voices/dashboard/"),
]


class Undo(Exception):
    pass


def _counts(density: float) -> dict:
    from django.contrib.auth import get_user_model

    from danvan.emulation.models import Movement
    from danvan.org.models import Organization

    User = get_user_model()
    result = {}
    try:
        with transaction.atomic():
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(gen, "TARGET_MATTERS", int(gen.TARGET_MATTERS * density))
                mp.setattr(gen, "TARGET_MODELS", int(gen.TARGET_MODELS * density))
                gen.generate(scale="commune", seed=5, quiet=True)
            movement = Movement.objects.get(code="dvk-31").pk
            commune = Organization.objects.filter(code__endswith="-du").order_by("path").first()
            code = commune.code.split("-")[0]
            users = {
                "commune": User.objects.get(username=f"c{code}.xuly"),
                "province": User.objects.get(username="p31.bdv"),
                "superuser": User.objects.get(username="bench.admin"),
            }
            for who, user in users.items():
                client = Client()
                login(user, client)
                for name, url in PAGES:
                    path = url.format(movement=movement)
                    client.get(path)  # warm caches (grants, sessions) outside the count
                    with CaptureQueriesContext(connection) as ctx:
                        response = client.get(path)
                    result[(who, name)] = (response.status_code, len(ctx.captured_queries))
            raise Undo
    except Undo:
        pass
    return result


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_data():
    small = _counts(0.4)
    large = _counts(1.0)
    for key, (status, n) in large.items():
        assert status in (200, 403), (key, status)
        assert small[key] == (status, n), (key, small[key], (status, n))
    # The pages were really served with data, not refused.
    assert large[("superuser", "models page")][0] == 200
    assert large[("commune", "worklist page")][0] == 200
