"""Shared fixtures. The official areas are loaded once per test database, then each test
runs in a transaction that is rolled back."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.test.utils import override_settings

from danvan.org.loaders import load_areas
from danvan.org.models import Area, Organization

from .factories import OrganizationFactory, UserFactory, grant


def clock_start(now: dt.datetime) -> dt.datetime:
    """Now, unless Vietnam's midnight is less than three hours away: then just after it.

    Tests (and modules that take today's date when they load) must see one date for the
    whole run; a run is bounded at 90 minutes, so it never crosses midnight in Vietnam.
    The clock only ever moves forward from the real time, so cookies a real browser keeps
    (the journeys) never look expired to it."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    if midnight - now < dt.timedelta(hours=3):
        return midnight + dt.timedelta(minutes=1)
    return now


# Started as this module loads, before any test module takes today's date.
_clock = time_machine.travel(clock_start(dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))), tick=True)
_clock.start()


@pytest.fixture(scope="session", autouse=True)
def _fast_test_settings(tmp_path_factory):
    """Production hashing costs ~0.3 s per user; tests only need a password that checks."""
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Each test Client builds its own WhiteNoise middleware, which otherwise scans every
        # collected static file (~0.2 s); autorefresh looks a file up only when one is asked for.
        WHITENOISE_AUTOREFRESH=True,
        # The test database's chain, not the one of the developer's database.
        AUDIT_CHECKPOINT_FILE=tmp_path_factory.mktemp("audit") / "checkpoints.jsonl",
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import transaction

    from danvan.audit.context import request_context

    with django_db_blocker.unblock(), request_context(), transaction.atomic():
        load_areas(actor=None)


@pytest.fixture
def hanoi(db):
    return Area.objects.get(structure="2025", level="province", code="01")


@pytest.fixture
def hanoi_ward(hanoi):
    """Phường Ba Đình (00004) in Hà Nội."""
    return Area.objects.get(structure="2025", level="commune", code="00004")


@pytest.fixture
def tree(db, hanoi, hanoi_ward):
    """A small organization tree: city Party committee → ward Party committee → Women's Union,
    and a sibling ward with its own Party committee."""
    other_ward = Area.objects.get(structure="2025", level="commune", code="00008")
    city = OrganizationFactory(
        code="hn-tu", name="Thành ủy Hà Nội", area=hanoi, type=_type("party-committee")
    )
    ward = OrganizationFactory(
        code="bd-du",
        name="Đảng ủy phường Ba Đình",
        area=hanoi_ward,
        parent=city,
        type=_type("party-committee"),
    )
    union = OrganizationFactory(
        code="bd-hlhpn", name="Hội Liên hiệp Phụ nữ phường Ba Đình", area=hanoi_ward, parent=ward
    )
    other = OrganizationFactory(
        code="other-du",
        name="Đảng ủy phường khác",
        area=other_ward,
        parent=city,
        type=_type("party-committee"),
    )
    return {
        "city": _fresh(city),
        "ward": _fresh(ward),
        "union": _fresh(union),
        "other": _fresh(other),
    }


def _type(code):
    from danvan.org.models import OrganizationType

    return OrganizationType.objects.get(code=code)


def _fresh(org):
    return Organization.objects.get(pk=org.pk)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def alice(tree):
    """Commission officer on the ward Party committee (its whole subtree)."""
    user = UserFactory(username="alice")
    grant(user, "commission_officer", tree["ward"])
    return user


@pytest.fixture
def bob(tree):
    """Viewer on the ward Party committee: reads, never writes."""
    user = UserFactory(username="bob")
    grant(user, "viewer", tree["ward"])
    return user


@pytest.fixture
def charlie(db):
    """Signed in, with no grant anywhere: an outsider."""
    return UserFactory(username="charlie")


def login(user, client: Client | None = None) -> Client:
    """A client signed in as `user`, past the second step where their roles need one (with
    an authenticator app enrolled, as they would have)."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from danvan.accounts.scope import requires_two_factor

    client = client or Client()
    # django-axes needs the request in authenticate(); Client.login() does not pass one.
    client.force_login(user)
    if requires_two_factor(user):
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "app"}
        )
        session = client.session
        session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for():
    return login
