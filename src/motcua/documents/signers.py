"""The two signer backends that ship: PKCS#12 key files and PKCS#11 tokens/HSMs.

``pkcs12`` (development, demo): one file ``<SIGNING_PKI_DIR>/signers/<signer id>.p12`` per
signer, all protected by ``SIGNING_PKCS12_PASSWORD`` (``motcua demo-ca`` writes them).

``pkcs11`` (production): the keys never leave the token. ``SIGNING_PKCS11_MODULE`` is the
vendor's library, ``SIGNING_PKCS11_TOKEN_LABEL`` the token, ``SIGNING_PKCS11_PIN`` its user
PIN and ``SIGNING_PKCS11_KEY_LABEL`` either one key label used for every signer (an agency's
seal) or ``signer=label`` pairs. The certificate is read from the token under the same label.
"""

from __future__ import annotations

import contextlib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from motcua.documents.signing import (
    SignerBackend,
    SignerNotFound,
    SigningConfigError,
    registry,
)

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def check_signer_id(signer_id: str) -> str:
    """Signer ids name files: letters, digits, dot, dash and underscore only."""
    if not _SAFE_ID.match(signer_id or ""):
        raise SignerNotFound(f"Mã người ký không hợp lệ: {signer_id!r}.")
    return signer_id


def signers_dir() -> Path:
    return Path(settings.SIGNING_PKI_DIR) / "signers"


def _key_caching_signer_class():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class KeyCachingSigner(SimpleSigner):
        """pyHanko's ``SimpleSigner`` re-parses (and re-validates) the private key on every
        signature, about 100 ms for RSA; this one parses it once."""

        @functools.cached_property
        def _private_key(self):
            return serialization.load_der_private_key(self.signing_key.dump(), password=None)

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                name = mechanism.signature_algo
            except ValueError:
                name = mechanism["algorithm"].native
            key, digest = self._private_key, get_pyca_cryptography_hash(digest_algorithm)
            if name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), digest)
            if name == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
                return key.sign(data, ec.ECDSA(digest))
            return super().sign_raw(data, digest_algorithm)

    return KeyCachingSigner


@functools.lru_cache(maxsize=64)
def _load_pkcs12(path: str, mtime_ns: int, password: str):
    """A pyHanko signer from a PKCS#12 file (cached until the file changes)."""
    from pyhanko.sign.signers import SimpleSigner

    data = Path(path).read_bytes()
    loaded = SimpleSigner.load_pkcs12_data(data, other_certs=set(), passphrase=password.encode())
    return _key_caching_signer_class()(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )


@registry.register
class Pkcs12Backend(SignerBackend):
    """Keys in password-protected PKCS#12 files (development and demo)."""

    id = "pkcs12"
    label = "Tệp khóa PKCS#12 (môi trường thử, trình diễn)"

    def signer_ids(self) -> list[str]:
        folder = signers_dir()
        return sorted(p.stem for p in folder.glob("*.p12")) if folder.is_dir() else []

    def path(self, signer_id: str) -> Path:
        return signers_dir() / f"{check_signer_id(signer_id)}.p12"

    @contextlib.contextmanager
    def open(self, signer_id: str):
        path = self.path(signer_id)
        if not path.is_file():
            raise SignerNotFound(
                f"Không có khóa ký của “{signer_id}” ({path}). Chạy `motcua demo-ca` để tạo "
                "khóa trình diễn."
            )
        try:
            signer = _load_pkcs12(str(path), path.stat().st_mtime_ns, self._password())
        except (ValueError, TypeError) as exc:
            raise SigningConfigError(
                f"Không mở được tệp khóa {path.name}: sai SIGNING_PKCS12_PASSWORD hoặc tệp hỏng."
            ) from exc
        yield signer

    def _password(self) -> str:
        return settings.SIGNING_PKCS12_PASSWORD


@dataclass(frozen=True)
class Pkcs11Config:
    module: str
    token_label: str
    pin: str
    key_labels: dict[str, str]
    default_label: str | None

    def label_for(self, signer_id: str) -> str:
        label = self.key_labels.get(signer_id, self.default_label)
        if not label:
            raise SignerNotFound(
                f"SIGNING_PKCS11_KEY_LABEL không có khóa cho người ký “{signer_id}”."
            )
        return label


def parse_key_labels(value: str | None) -> tuple[dict[str, str], str | None]:
    """``"seal"`` → ({}, "seal"); ``"a=k1,b=k2"`` → ({"a": "k1", "b": "k2"}, None)."""
    pairs: dict[str, str] = {}
    default = None
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        signer, sep, label = item.partition("=")
        if sep:
            if not signer.strip() or not label.strip():
                raise SigningConfigError(f"SIGNING_PKCS11_KEY_LABEL: mục “{item}” thiếu tên.")
            pairs[signer.strip()] = label.strip()
        elif default is None:
            default = item
        else:
            raise SigningConfigError(
                "SIGNING_PKCS11_KEY_LABEL: chỉ được một nhãn khóa chung; dùng dạng người_ký=nhãn."
            )
    return pairs, default


def pkcs11_config() -> Pkcs11Config:
    """The PKCS#11 settings, checked; :class:`SigningConfigError` names what is wrong."""
    module = settings.SIGNING_PKCS11_MODULE
    missing = [
        name
        for name in ("SIGNING_PKCS11_MODULE", "SIGNING_PKCS11_TOKEN_LABEL", "SIGNING_PKCS11_PIN")
        if not getattr(settings, name)
    ]
    if missing:
        raise SigningConfigError(f"Thiếu cấu hình ký số PKCS#11: {', '.join(missing)}.")
    if not Path(module).is_file():
        raise SigningConfigError(f"SIGNING_PKCS11_MODULE: không có thư viện {module}.")
    pairs, default = parse_key_labels(settings.SIGNING_PKCS11_KEY_LABEL)
    if not pairs and not default:
        raise SigningConfigError("Thiếu cấu hình ký số PKCS#11: SIGNING_PKCS11_KEY_LABEL.")
    return Pkcs11Config(
        module, settings.SIGNING_PKCS11_TOKEN_LABEL, settings.SIGNING_PKCS11_PIN, pairs, default
    )


@registry.register
class Pkcs11Backend(SignerBackend):
    """Keys on a PKCS#11 token or HSM (production); one session per signature."""

    id = "pkcs11"
    label = "Thiết bị ký số PKCS#11 (USB token, HSM)"

    def signer_ids(self) -> list[str]:
        try:
            return sorted(pkcs11_config().key_labels)
        except SigningConfigError:
            return []

    def problems(self) -> list[str]:
        try:
            pkcs11_config()
        except SigningConfigError as exc:
            return [exc.message]
        return []

    @contextlib.contextmanager
    def open(self, signer_id: str):
        config = pkcs11_config()
        label = config.label_for(signer_id)
        try:
            from pkcs11 import PKCS11Error
            from pyhanko.config.pkcs11 import TokenCriteria
            from pyhanko.sign import pkcs11 as p11
        except ImportError as exc:
            raise SigningConfigError(
                "Thiếu gói python-pkcs11 (pip install 'pyhanko[pkcs11]')."
            ) from exc
        try:
            session = p11.open_pkcs11_session(
                config.module,
                token_criteria=TokenCriteria(label=config.token_label),
                user_pin=config.pin,
            )
        except (PKCS11Error, RuntimeError, OSError) as exc:
            raise SigningConfigError(
                f"Không mở được thiết bị ký “{config.token_label}”: {exc}"
            ) from exc
        try:
            signer = p11.PKCS11Signer(session, key_label=label, cert_label=label)
            try:
                signer.signing_cert  # noqa: B018  (loads the certificate: fail early and clearly)
            except (PKCS11Error, RuntimeError, ValueError) as exc:
                raise SignerNotFound(
                    f"Thiết bị ký không có khóa/chứng thư nhãn “{label}”: {exc}"
                ) from exc
            yield signer
        finally:
            session.close()
