"""Encryption at rest (mã hóa khi lưu) for sensitive files, with Fernet keys from the settings.

``FILE_ENCRYPTION_KEYS`` is a comma-separated list of Fernet keys: the first encrypts, all of
them decrypt (:class:`~cryptography.fernet.MultiFernet`), so a new key is put first and the
old ones kept until ``motcua rotate-file-keys`` has re-encrypted every file. In development,
when the variable is unset, one key is derived from ``SECRET_KEY`` (changing that key makes
the files unreadable: development only). Production refuses to encrypt without keys.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionFailed(Exception):
    """No configured key opens the file (a key was removed too early, or the data is damaged)."""


@dataclass(frozen=True)
class Keyring:
    """The configured keys: ``current`` encrypts, ``all`` decrypt."""

    raw_keys: tuple[bytes, ...]

    @property
    def current_id(self) -> str:
        return key_id(self.raw_keys[0])

    @functools.cached_property
    def _multi(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.raw_keys])

    def encrypt(self, data: bytes) -> bytes:
        return self._multi.encrypt(data)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._multi.decrypt(token)
        except InvalidToken as exc:
            raise DecryptionFailed("no configured key decrypts this file") from exc

    def blob_name(self, sha256: str) -> str:
        """A name for encrypted content that reveals nothing without the current key.

        Keyed hash of the content hash: the same content under the same key gets the same
        name (stored once), and a new key gives new names (rotation never overwrites).
        """
        secret = hashlib.sha256(b"motcua-file-name:" + self.raw_keys[0]).digest()
        return hmac.new(secret, sha256.encode("ascii"), hashlib.sha256).hexdigest()


def key_id(raw_key: bytes) -> str:
    """A short public fingerprint of a key (never the key itself)."""
    return hashlib.sha256(b"motcua-file-key-id:" + raw_key).hexdigest()[:16]


def parse_keys(value: str | None) -> tuple[bytes, ...]:
    """The keys of a ``FILE_ENCRYPTION_KEYS`` value; ``ValueError`` naming a bad entry."""
    keys = []
    for position, item in enumerate((value or "").split(","), start=1):
        item = item.strip()
        if not item:
            continue
        try:
            Fernet(item.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise ValueError(
                f"FILE_ENCRYPTION_KEYS: entry {position} is not a Fernet key "
                "(32 bytes in URL-safe base64; make one with Fernet.generate_key())"
            ) from exc
        keys.append(item.encode("ascii"))
    return tuple(keys)


def _development_key() -> bytes:
    digest = hashlib.sha256(b"motcua-development-file-key:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keyring() -> Keyring:
    """The keyring from the settings (read each call, so tests may override the setting)."""
    try:
        keys = parse_keys(settings.FILE_ENCRYPTION_KEYS)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from exc
    if not keys:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                "FILE_ENCRYPTION_KEYS must be set in production to store sensitive files."
            )
        keys = (_development_key(),)
    return Keyring(keys)
