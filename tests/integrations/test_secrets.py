"""Credentials at rest: encrypted, rotatable, masked."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet

from creditcheck.integrations.secrets import (
    decrypt_credentials,
    encrypt_credentials,
    mask,
    reencrypt,
)


def test_encrypt_round_trip_hides_values(settings: Any) -> None:
    settings.CREDENTIALS_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_credentials({"operador": "sandbox", "senha": "s3nha-secreta"})
    assert "s3nha-secreta" not in token and "sandbox" not in token
    assert decrypt_credentials(token) == {"operador": "sandbox", "senha": "s3nha-secreta"}


def test_rotation_old_key_still_decrypts_and_reencrypt_moves_to_new(settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CREDENTIALS_KEYS = [old]
    token = encrypt_credentials({"senha": "x"})
    settings.CREDENTIALS_KEYS = [new, old]
    assert decrypt_credentials(token) == {"senha": "x"}
    rotated = reencrypt(token)
    settings.CREDENTIALS_KEYS = [new]
    assert decrypt_credentials(rotated) == {"senha": "x"}
    assert decrypt_credentials(token) == {}  # the old key is gone: the old token no longer opens


def test_mask_never_shows_secrets() -> None:
    assert mask("s3nha-secreta", secret=True) == "••••••••"
    assert mask("sandbox", secret=False) == "sa•••••"
    assert mask("", secret=True) == ""
