"""Platform credentials at rest: encrypted with Fernet keys taken from the environment.

CREDENTIALS_KEYS holds one or more Fernet keys, newest first. New values are encrypted with the
first; every listed key still decrypts, so keys rotate without downtime: prepend the new key,
re-save (or run `manage.py rotate_credentials`), then drop the old one. Without CREDENTIALS_KEYS
(development) a key is derived from SECRET_KEY.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _fernet() -> MultiFernet:
    keys = list(settings.CREDENTIALS_KEYS)
    if not keys:
        digest = hashlib.sha256(f"creditcheck-credentials:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("CREDENTIALS_KEYS must list valid Fernet keys") from exc


def encrypt_credentials(values: dict[str, str]) -> str:
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


def decrypt_credentials(token: str) -> dict[str, str]:
    """The stored credentials; {} when none were stored or no configured key opens them."""
    if not token:
        return {}
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        return {}
    return {str(k): str(v) for k, v in data.items()}


def reencrypt(token: str) -> str:
    """The same credentials under the newest key (for rotation)."""
    return _fernet().rotate(token.encode()).decode() if token else token


def mask(value: str, *, secret: bool) -> str:
    """How a stored credential is shown again: secrets never, other values partially."""
    if not value:
        return ""
    if secret:
        return "••••••••"
    visible = value[:2]
    return visible + "•" * max(len(value) - 2, 3)
