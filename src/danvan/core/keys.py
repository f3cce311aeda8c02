"""The app refuses to start when stored identities exist that no configured field key can
read — after a restore without the key, say. Running on would answer 500 on every case
page and encrypt new identities under a different key than the old ones."""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from . import crypto

# Every encrypted column, one row of each is enough to tell whether the keys can read it.
ENCRYPTED = [("voices.Citizen", "name_enc"), ("situation.Beneficiary", "name_enc")]


def unreadable() -> str | None:
    """What cannot be read, or None when the keys read everything sampled (or nothing is
    stored yet, or the database is not migrated yet)."""
    for label, field in ENCRYPTED:
        model = apps.get_model(label)
        try:
            token = (
                model.objects.exclude(**{field: ""})
                .order_by("-pk")
                .values_list(field, flat=True)
                .first()
            )
        except DatabaseError:
            return None  # not migrated yet
        if not token:
            continue
        try:
            crypto.decrypt(token)
        except ValueError:
            return (
                f"Stored rows of {model._meta.label} are encrypted with a field key that "
                "is not configured. Put the key kept with your backups into DANVAN_FIELD_KEYS "
                "(or $DANVAN_VAR_DIR/field_key; a file generated there because none was found "
                "holds a new, wrong key), then start again. See docs/operations.md, 'Backups'."
            )
    return None


def require_readable() -> None:
    problem = unreadable()
    if problem:
        raise ImproperlyConfigured(problem)
