"""Restored without its field key, the app refuses to start and says which key is missing,
instead of answering 500 on every case page and encrypting under a new key."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from danvan.core import crypto, keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrong_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [crypto.new_key()]
    crypto.reset_cache()
    yield
    crypto.reset_cache()


@pytest.fixture
def stored_identity(receive):
    return receive()


def test_the_right_key_starts(stored_identity):
    assert keys.unreadable() is None
    keys.require_readable()


def test_nothing_stored_starts_with_any_key(db, wrong_key):
    assert keys.unreadable() is None


def test_a_missing_key_stops_the_web_and_the_worker(stored_identity, wrong_key):
    with pytest.raises(ImproperlyConfigured, match="DANVAN_FIELD_KEYS"):
        keys.require_readable()
    sys.modules.pop("danvan.wsgi", None)  # loaded afresh, as gunicorn does
    with pytest.raises(ImproperlyConfigured):
        importlib.import_module("danvan.wsgi")
    sys.modules.pop("danvan.wsgi", None)
    from django.core.management import call_command

    with pytest.raises(ImproperlyConfigured):
        call_command("db_worker", batch=True, verbosity=0)
