"""Sign-in through OpenID Connect against a REAL provider (django-oauth-toolkit) on the live
server: discovery, authorization code + PKCE, an RS256 ID token signed with a key made here,
JWKS, userinfo. The browser is a ``requests.Session`` following the redirects; the portal is
``http://localhost:<port>`` and the provider ``http://127.0.0.1:<port>/o`` (two hosts, so
two cookie jars, like two sites)."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.apps import apps as django_apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import override_settings

from motcua.accounts.identity import oidc
from motcua.accounts.models import CitizenProfile, IdentityLink, LoginEvent, User

from .conftest import ID_AN, PASSWORD
from .provider_people import PEOPLE

PROVIDER_USER, PROVIDER_PASSWORD = "vneid-an", "vneid-pass-2026"


@pytest.fixture(scope="module")
def rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture
def provider_site(live_server, settings, rsa_pem):
    """DOT installed, its tables created and its URLs mounted for one test; all removed after."""
    port = live_server.thread.port
    apps = [*settings.INSTALLED_APPS, "oauth2_provider"]
    dot = {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": rsa_pem,
        "PKCE_REQUIRED": True,
        "OAUTH2_VALIDATOR_CLASS": "tests.accounts.provider_validator.VneidValidator",
        "SCOPES": {"openid": "OpenID Connect", "profile": "Họ tên, ngày sinh, số định danh"},
    }
    with override_settings(
        INSTALLED_APPS=apps, ROOT_URLCONF="tests.accounts.provider_urls", OAUTH2_PROVIDER=dot
    ):
        models = list(django_apps.get_app_config("oauth2_provider").get_models())
        with connection.schema_editor() as editor:  # its tables, without its migrations
            for model in models:
                editor.create_model(model)
        try:
            yield _configure(settings, port)
        finally:
            with connection.schema_editor() as editor:
                for model in reversed(models):
                    editor.delete_model(model)


def _configure(settings, port: int) -> dict:
    from oauth2_provider.models import Application

    portal = f"http://localhost:{port}"
    issuer = f"http://127.0.0.1:{port}/o"
    secret = "bi-mat-cua-cong-mot-cua"
    Application.objects.create(
        name="Một Cửa",
        client_id="motcua-portal",
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{portal}/tai-khoan/oidc/callback/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    User.objects.create_user(PROVIDER_USER, password=PROVIDER_PASSWORD)
    PEOPLE[PROVIDER_USER] = {
        "citizen_id": ID_AN,
        "name": "Nguyễn Văn An",
        "birthdate": "1990-05-17",
        "phone_number": "0903123456",
    }
    settings.IDENTITY_PROVIDERS = ["vneid"]
    settings.IDENTITY_OIDC_ISSUER = issuer
    settings.IDENTITY_OIDC_CLIENT_ID = "motcua-portal"
    settings.IDENTITY_OIDC_CLIENT_SECRET = secret
    settings.IDENTITY_OIDC_SCOPES = ["openid", "profile"]
    settings.IDENTITY_OIDC_CLAIMS = ["id_number=citizen_id"]
    settings.IDENTITY_OIDC_REDIRECT_URI = None
    return {"portal": portal, "issuer": issuer, "provider": f"http://127.0.0.1:{port}"}


def browser_signed_in_at_provider(site: dict) -> requests.Session:
    """A browser whose user has signed in at the provider (its own login page)."""
    browser = requests.Session()
    login = f"{site['provider']}/can-bo/dang-nhap/"
    browser.get(login, timeout=10)
    token = browser.cookies.get("csrftoken", domain="127.0.0.1")
    response = browser.post(
        login,
        data={
            "csrfmiddlewaretoken": token,
            "username": PROVIDER_USER,
            "password": PROVIDER_PASSWORD,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return browser


def portal_user(browser: requests.Session) -> User | None:
    """Who the portal's session cookie (host localhost) is signed in as."""
    key = next(
        (
            c.value
            for c in browser.cookies
            if c.name == "sessionid" and c.domain.startswith("localhost")
        ),
        None,
    )
    if key is None:
        return None
    user_id = SessionStore(session_key=key).get(SESSION_KEY)
    return User.objects.filter(pk=user_id).first() if user_id else None


def start(browser, site) -> str:
    """Press "Đăng nhập bằng VNeID": the provider's authorization URL."""
    response = browser.get(
        f"{site['portal']}/tai-khoan/dang-nhap/vneid/", allow_redirects=False, timeout=10
    )
    assert response.status_code == 302
    return response.headers["Location"]


def authorize(browser, url: str) -> str:
    """The provider signs the citizen in and sends them back: the callback URL."""
    response = browser.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def with_param(url: str, **params) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_citizen_signs_in_with_the_national_identity(provider_site):
    site = provider_site
    browser = browser_signed_in_at_provider(site)
    url = start(browser, site)
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(site["issuer"] + "/authorize/")
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]

    page = browser.get(url, timeout=20)  # follow: provider → callback → profile

    assert page.status_code == 200, page.text[:800]
    assert page.url == f"{site['portal']}/tai-khoan/ho-so-ca-nhan/"
    assert "••••••••1234" in page.text and "Đã xác thực định danh" in page.text
    user = portal_user(browser)
    profile = CitizenProfile.objects.get(user=user)
    assert profile.id_number == ID_AN and profile.identity_verified
    assert user.full_name == "Nguyễn Văn An" and str(profile.birth_date) == "1990-05-17"
    assert profile.phone == "0903123456" and not profile.phone_verified  # from the provider
    link = IdentityLink.objects.get(user=user)
    assert link.provider == "vneid" and link.subject == str(
        User.objects.get(username=PROVIDER_USER).pk
    )
    assert LoginEvent.objects.filter(kind="external_login", user=user).exists()


def test_existing_account_is_linked_by_id_number(provider_site, make_citizen):
    existing = make_citizen(contact_kind="email", contact="an@example.vn")
    browser = browser_signed_in_at_provider(provider_site)
    page = browser.get(start(browser, provider_site), timeout=20)
    assert page.status_code == 200
    assert portal_user(browser) == existing.user
    existing.refresh_from_db()
    assert existing.identity_verified
    assert existing.user.check_password(PASSWORD)  # the password still works too
    assert CitizenProfile.objects.count() == 1


def test_a_changed_state_is_refused(provider_site):
    browser = browser_signed_in_at_provider(provider_site)
    callback = authorize(browser, start(browser, provider_site))
    page = browser.get(with_param(callback, state="forged-state"), timeout=20)
    assert page.status_code == 400
    assert "Phiên đăng nhập không hợp lệ hoặc đã được dùng (state không khớp)" in page.text
    assert portal_user(browser) is None
    assert LoginEvent.objects.filter(kind="external_failed", detail__contains="state").exists()


def test_a_replayed_callback_is_refused(provider_site):
    browser = browser_signed_in_at_provider(provider_site)
    callback = authorize(browser, start(browser, provider_site))
    assert browser.get(callback, timeout=20).status_code == 200
    again = browser.get(callback, timeout=20)
    assert again.status_code == 400 and "state không khớp" in again.text


def test_a_token_for_another_nonce_is_refused(provider_site):
    browser = browser_signed_in_at_provider(provider_site)
    url = with_param(start(browser, provider_site), nonce="nonce-of-another-session")
    page = browser.get(authorize(browser, url), timeout=20)
    assert page.status_code == 400
    assert "Phiên đăng nhập không khớp (nonce)" in page.text
    assert portal_user(browser) is None


def test_a_tampered_id_token_is_refused(provider_site, monkeypatch):
    real_post = requests.post

    def tampering_post(url, *args, **kwargs):  # a man in the middle changes the ID number
        response = real_post(url, *args, **kwargs)
        body = response.json()
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["citizen_id"] = "001195004321"
        forged = oidc.b64url(json.dumps(claims).encode())
        body["id_token"] = f"{header}.{forged}.{signature}"
        response._content = json.dumps(body).encode()
        return response

    monkeypatch.setattr(oidc.requests, "post", tampering_post)
    browser = browser_signed_in_at_provider(provider_site)
    page = browser.get(start(browser, provider_site), timeout=20)
    assert page.status_code == 400
    assert "trả mã định danh sai chữ ký" in page.text
    assert portal_user(browser) is None
    assert not CitizenProfile.objects.exists()


def test_the_provider_refusing_is_explained(provider_site):
    browser = browser_signed_in_at_provider(provider_site)
    callback = authorize(browser, start(browser, provider_site))
    state = parse_qs(urlsplit(callback).query)["state"][0]
    base = callback.split("?")[0]
    page = browser.get(
        f"{base}?{urlencode({'state': state, 'error': 'access_denied'})}", timeout=20
    )
    assert page.status_code == 400 and "Bạn đã hủy đăng nhập tại VNeID" in page.text
