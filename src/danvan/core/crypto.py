"""Field encryption for confidential personal data (a denouncer's identity, citizens'
contacts). Fernet (AES-128-CBC + HMAC) from `cryptography`; several keys for rotation:
the first encrypts, all decrypt. See docs/operations.md, "Rotating the field key"."""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = [k for k in settings.FIELD_ENCRYPTION_KEYS if k]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: the field key is wrong or missing") from exc


def rotate(token: str) -> str:
    """Re-encrypt with the first (newest) key."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def reset_cache() -> None:
    _fernet.cache_clear()


def new_key() -> str:
    return Fernet.generate_key().decode()
