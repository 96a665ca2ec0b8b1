"""OpenID Connect (VNeID-style national identity) as an identity provider.

Authorization code flow with PKCE (S256), ``state`` (checked by the portal) and ``nonce``
(checked here), provider discovery (``/.well-known/openid-configuration``), ID token
signature verification against the provider's JWKS (RS256 and other asymmetric algorithms,
never ``none`` or HMAC), issuer / audience / expiry / ``azp`` / ``at_hash`` checks, and the
userinfo endpoint. Claim names are configurable (``IDENTITY_OIDC_CLAIMS``): national
providers name the ID number claim in their own way.

The PKCE verifier is derived from the one-time ``state`` with the site's secret key (salted
HMAC), so nothing but the state and nonce is kept in the session.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts.identity.base import (
    Identity,
    IdentityError,
    IdentityProvider,
    PendingFlow,
    registry,
)

log = logging.getLogger(__name__)

#: Identity field → claim name, unless IDENTITY_OIDC_CLAIMS says otherwise.
DEFAULT_CLAIMS = {
    "id_number": "id_number",
    "full_name": "name",
    "birth_date": "birthdate",
    "phone": "phone_number",
    "email": "email",
}
#: Asymmetric algorithms only: ``none`` and HMAC (a shared secret) are never accepted.
SAFE_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
CACHE_SECONDS = 3600
LEEWAY_SECONDS = 60


@dataclass(frozen=True)
class OIDCConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...] = ("openid", "profile")
    claims: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLAIMS))
    token_auth: str = "client_secret_basic"  # or client_secret_post
    algorithms: tuple[str, ...] = ("RS256",)
    use_userinfo: bool = True
    timeout: int = 10
    redirect_uri: str = ""


def parse_claims(pairs: list[str]) -> dict[str, str]:
    """``["id_number=so_dinh_danh", "full_name=ho_ten"]`` over the defaults."""
    claims = dict(DEFAULT_CLAIMS)
    for pair in pairs:
        name, _sep, claim = pair.partition("=")
        if name.strip() in claims and claim.strip():
            claims[name.strip()] = claim.strip()
    return claims


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class OIDCProvider(IdentityProvider):
    """A generic OpenID Connect provider; subclass and override :meth:`config` for a second."""

    id = "vneid"
    label = "VNeID"

    def config(self) -> OIDCConfig:
        return OIDCConfig(
            issuer=(settings.IDENTITY_OIDC_ISSUER or "").rstrip("/"),
            client_id=settings.IDENTITY_OIDC_CLIENT_ID or "",
            client_secret=settings.IDENTITY_OIDC_CLIENT_SECRET or "",
            scopes=tuple(settings.IDENTITY_OIDC_SCOPES),
            claims=parse_claims(settings.IDENTITY_OIDC_CLAIMS),
            token_auth=settings.IDENTITY_OIDC_TOKEN_AUTH,
            algorithms=tuple(settings.IDENTITY_OIDC_ALGORITHMS),
            use_userinfo=settings.IDENTITY_OIDC_USERINFO,
            timeout=settings.IDENTITY_OIDC_TIMEOUT,
            redirect_uri=settings.IDENTITY_OIDC_REDIRECT_URI or "",
        )

    def display_label(self) -> str:
        return settings.IDENTITY_OIDC_LABEL

    def configuration_errors(self) -> list[str]:
        cfg = self.config()
        missing = [
            name
            for name, value in (
                ("IDENTITY_OIDC_ISSUER", cfg.issuer),
                ("IDENTITY_OIDC_CLIENT_ID", cfg.client_id),
            )
            if not value
        ]
        problems = [f"Identity provider {self.id!r} needs {name}." for name in missing]
        if "openid" not in cfg.scopes:
            problems.append("IDENTITY_OIDC_SCOPES must include `openid`.")
        unsafe = set(cfg.algorithms) - SAFE_ALGORITHMS
        if unsafe:
            problems.append(f"IDENTITY_OIDC_ALGORITHMS has unsafe algorithms: {sorted(unsafe)}.")
        if cfg.token_auth not in {"client_secret_basic", "client_secret_post"}:
            problems.append("IDENTITY_OIDC_TOKEN_AUTH: client_secret_basic or client_secret_post.")
        return problems

    # --- step 1: send the browser to the provider -------------------------------------------

    def authorization_url(self, request, state: str, nonce: str) -> str:
        cfg = self.config()
        meta = self.discovery(cfg)
        params = {
            "response_type": "code",
            "client_id": cfg.client_id,
            "redirect_uri": self.redirect_uri(request, cfg),
            "scope": " ".join(cfg.scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": b64url(hashlib.sha256(self.verifier(state).encode()).digest()),
            "code_challenge_method": "S256",
        }
        parts = urlsplit(meta["authorization_endpoint"])
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        return urlunsplit(parts._replace(query=query))

    def verifier(self, state: str) -> str:
        """The PKCE code verifier of the flow ``state`` (64 hex characters)."""
        return salted_hmac("motcua.accounts.oidc.pkce", state, algorithm="sha256").hexdigest()

    def redirect_uri(self, request, cfg: OIDCConfig) -> str:
        """The callback as registered at the provider (never with a language prefix)."""
        if cfg.redirect_uri:
            return cfg.redirect_uri
        with translation.override(settings.LANGUAGE_CODE):
            return request.build_absolute_uri(reverse("portal:account_oidc_callback"))

    # --- step 2: the browser is back --------------------------------------------------------

    def complete(self, request, flow: PendingFlow) -> Identity:
        cfg = self.config()
        self._check_callback(request, cfg)
        meta = self.discovery(cfg)
        tokens = self._exchange(request, cfg, meta, request.GET["code"], flow.state)
        claims = self.verify_id_token(
            tokens.get("id_token", ""),
            cfg,
            meta,
            nonce=flow.nonce,
            access_token=tokens.get("access_token"),
        )
        if cfg.use_userinfo and meta.get("userinfo_endpoint") and tokens.get("access_token"):
            info = self._userinfo(cfg, meta, tokens["access_token"])
            if str(info.get("sub")) != str(claims["sub"]):
                raise IdentityError(
                    self._msg(_("trả thông tin của một người khác")), code="userinfo"
                )
            claims = {**info, **claims}
        return self.identity(claims, cfg)

    def _check_callback(self, request, cfg: OIDCConfig) -> None:
        error = request.GET.get("error")
        if error == "access_denied":
            raise IdentityError(
                _(
                    "Bạn đã hủy đăng nhập tại %(provider)s. Bạn có thể thử lại hoặc đăng nhập "
                    "bằng mật khẩu."
                )
                % {"provider": self.display_label()},
                code="cancelled",
            )
        if error:
            detail = request.GET.get("error_description", "")[:200]
            what = _("báo lỗi “%(error)s” %(detail)s") % {"error": error, "detail": detail}
            raise IdentityError(self._msg(what.strip()), code=error)
        if not request.GET.get("code"):
            raise IdentityError(self._msg(_("không trả mã đăng nhập")), code="no_code")
        iss = request.GET.get("iss")
        if iss is not None and iss.rstrip("/") != cfg.issuer:  # RFC 9207 mix-up defence
            raise IdentityError(self._msg(_("trả lời từ một máy chủ lạ")), code="issuer")

    def _msg(self, what: str) -> str:
        """The refusal in words; ``what`` says what the provider did (a translated phrase
        that follows "nhà cung cấp", e.g. "trả mã định danh hỏng")."""
        # Translators: %(what)s is one of the phrases that follow "nhà cung cấp" (the
        # provider …), e.g. "trả mã định danh hỏng" (returned a broken ID token).
        return _(
            "Đăng nhập qua %(provider)s không thành công: nhà cung cấp %(what)s. Vui lòng thử "
            "lại; nếu vẫn lỗi, hãy đăng nhập bằng mật khẩu."
        ) % {"provider": self.display_label(), "what": what}

    # --- HTTP with the provider -------------------------------------------------------------

    def _get_json(self, url: str, cfg: OIDCConfig, **kwargs) -> dict:
        try:
            response = requests.get(url, timeout=cfg.timeout, **kwargs)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("oidc: GET %s failed: %r", url, exc)
            raise IdentityError(
                _("Không kết nối được %(provider)s. Vui lòng thử lại sau ít phút.")
                % {"provider": self.display_label()},
                code="unreachable",
            ) from exc

    def discovery(self, cfg: OIDCConfig) -> dict:
        """The provider's metadata (cached); its ``issuer`` must be the configured one."""
        key = f"oidc:discovery:{cfg.issuer}"
        meta = cache.get(key)
        if meta is None:
            meta = self._get_json(f"{cfg.issuer}/.well-known/openid-configuration", cfg)
            if str(meta.get("issuer", "")).rstrip("/") != cfg.issuer:
                raise IdentityError(self._msg(_("công bố sai định danh máy chủ")), code="issuer")
            cache.set(key, meta, CACHE_SECONDS)
        return meta

    def _exchange(self, request, cfg: OIDCConfig, meta: dict, code: str, state: str) -> dict:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri(request, cfg),
            "code_verifier": self.verifier(state),
        }
        auth = None
        if cfg.token_auth == "client_secret_post":
            data.update(client_id=cfg.client_id, client_secret=cfg.client_secret)
        else:  # RFC 6749 §2.3.1: form-encode the id and secret before Basic
            auth = (quote(cfg.client_id, safe=""), quote(cfg.client_secret, safe=""))
        try:
            response = requests.post(
                meta["token_endpoint"], data=data, auth=auth, timeout=cfg.timeout
            )
            body = response.json()
        except (requests.RequestException, ValueError) as exc:
            log.warning("oidc: token request failed: %r", exc)
            raise IdentityError(self._msg(_("không cấp mã truy cập")), code="token") from exc
        if response.status_code != 200 or "error" in body:
            log.warning("oidc: token endpoint answered %s: %s", response.status_code, body)
            raise IdentityError(self._msg(_("từ chối mã đăng nhập")), code="token")
        return body

    def _userinfo(self, cfg: OIDCConfig, meta: dict, access_token: str) -> dict:
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        return self._get_json(meta["userinfo_endpoint"], cfg, headers=headers)

    def _jwks(self, cfg: OIDCConfig, meta: dict, *, refresh: bool = False) -> jwt.PyJWKSet:
        key = f"oidc:jwks:{cfg.issuer}"
        data = None if refresh else cache.get(key)
        if data is None:
            data = self._get_json(meta["jwks_uri"], cfg)
            cache.set(key, data, CACHE_SECONDS)
        try:
            return jwt.PyJWKSet.from_dict(data)
        except jwt.PyJWTError as exc:
            raise IdentityError(self._msg(_("công bố khóa không dùng được")), code="jwks") from exc

    def _signing_key(self, cfg: OIDCConfig, meta: dict, kid: str | None):
        for refresh in (False, True):  # an unknown kid: the provider may have rotated keys
            keys = self._jwks(cfg, meta, refresh=refresh).keys
            matches = [k for k in keys if kid is None or k.key_id == kid]
            if matches:
                return matches[0].key
        raise IdentityError(self._msg(_("ký bằng một khóa không công bố")), code="unknown_key")

    # --- the ID token -----------------------------------------------------------------------

    def verify_id_token(
        self, token: str, cfg: OIDCConfig, meta: dict, *, nonce: str, access_token=None
    ) -> dict:
        """The verified claims of ``token``, or ``IdentityError``."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise IdentityError(self._msg(_("trả mã định danh hỏng")), code="id_token") from exc
        alg = header.get("alg", "")
        offered = meta.get("id_token_signing_alg_values_supported") or [alg]
        if alg not in cfg.algorithms or alg not in SAFE_ALGORITHMS or alg not in offered:
            raise IdentityError(
                self._msg(_("ký bằng thuật toán không chấp nhận (%(alg)s)") % {"alg": alg}),
                code="algorithm",
            )
        key = self._signing_key(cfg, meta, header.get("kid"))
        claims = self._decode(token, key, alg, cfg)
        self._check_claims(claims, cfg, nonce=nonce, alg=alg, access_token=access_token)
        return claims

    def _decode(self, token: str, key, alg: str, cfg: OIDCConfig) -> dict:
        try:
            return jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=cfg.client_id,
                issuer=meta_issuer(cfg),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise IdentityError(
                self._msg(_("trả mã định danh sai chữ ký")), code="signature"
            ) from exc
        except jwt.ExpiredSignatureError as exc:
            raise IdentityError(
                self._msg(_("trả mã định danh đã hết hạn")), code="expired"
            ) from exc
        except jwt.PyJWTError as exc:
            log.warning("oidc: ID token refused: %r", exc)
            raise IdentityError(
                self._msg(_("trả mã định danh không hợp lệ")), code="id_token"
            ) from exc

    def _check_claims(
        self, claims: dict, cfg: OIDCConfig, *, nonce: str, alg: str, access_token
    ) -> None:
        aud = claims.get("aud")
        if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != cfg.client_id:
            raise IdentityError(self._msg(_("cấp mã cho ứng dụng khác")), code="azp")
        if not nonce or not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise IdentityError(
                _(
                    "Phiên đăng nhập không khớp (nonce). Có thể đường dẫn đã bị sửa hoặc dùng "
                    "lại. Vui lòng bắt đầu đăng nhập lại."
                ),
                code="nonce",
            )
        expected = at_hash(access_token, alg) if access_token else None
        if claims.get("at_hash") and expected and claims["at_hash"] != expected:
            raise IdentityError(self._msg(_("trả mã truy cập không khớp")), code="at_hash")

    def identity(self, claims: dict, cfg: OIDCConfig) -> Identity:
        """Map the verified claims to an :class:`Identity` (claim names from the config)."""

        def claim(name: str) -> str:
            value = claims.get(cfg.claims[name], "")
            return "" if value is None else str(value).strip()

        return Identity(
            subject=str(claims["sub"]),
            id_number=claim("id_number").replace(" ", ""),
            full_name=claim("full_name"),
            birth_date=parse_date(claim("birth_date")),
            phone=claim("phone"),
            email=claim("email"),
        )


def meta_issuer(cfg: OIDCConfig) -> list[str]:
    """The accepted ``iss`` values (with and without a trailing slash)."""
    return [cfg.issuer, cfg.issuer + "/"]


def at_hash(access_token: str, alg: str) -> str | None:
    """OIDC Core §3.1.3.6: the left half of the hash of the access token."""
    bits = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}.get(alg[-3:])
    if bits is None:
        return None
    digest = bits(access_token.encode("ascii")).digest()
    return b64url(digest[: len(digest) // 2])


def parse_date(value: str) -> dt.date | None:
    """``1990-05-17`` (OIDC ``birthdate``) or ``17/05/1990``; ``None`` when absent or odd."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


registry.register(OIDCProvider)
