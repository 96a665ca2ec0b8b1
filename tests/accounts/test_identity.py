"""The identity-provider plugin interface: registry, checks, the demo provider, OIDC parts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from motcua.accounts.identity import base, oidc
from motcua.accounts.identity.base import Identity, IdentityError, IdentityProvider, Registry
from motcua.accounts.models import CitizenProfile, IdentityLink

from .conftest import ID_AN


class FakeProvider(IdentityProvider):
    id = "fake"
    label = "Fake"

    def authorization_url(self, request, state, nonce):
        return f"https://idp.example/auth?state={state}"

    def complete(self, request, flow):
        return Identity(subject="s-1", id_number=ID_AN)


def test_registry_registers_by_id_and_switches_on_by_settings(settings):
    registry = Registry()
    registry.register(FakeProvider)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(FakeProvider)
    settings.IDENTITY_PROVIDERS = []
    assert registry.get("fake") is None and registry.enabled() == []
    settings.IDENTITY_PROVIDERS = ["fake"]
    assert isinstance(registry.get("fake"), FakeProvider)


def test_system_checks(settings):
    settings.IDENTITY_PROVIDERS = ["nope", "vneid"]
    settings.IDENTITY_OIDC_ISSUER = None
    messages = [m.msg for m in base.check_providers()]
    assert any("unknown provider 'nope'" in m for m in messages)
    assert any("IDENTITY_OIDC_ISSUER" in m for m in messages)
    settings.IDENTITY_PROVIDERS = ["demo"]
    settings.PRODUCTION = True
    assert [m.id for m in base.check_providers()] == ["accounts.E002"]


@pytest.mark.django_db
def test_demo_provider_signs_a_citizen_in(client):
    response = client.get(reverse("portal:account_external_login", args=["demo"]))
    assert response.status_code == 302
    page = client.get(response.url)
    state, nonce = page.context["state"], page.context["nonce"]
    response = client.post(
        reverse("portal:account_demo_identity"),
        {
            "state": state,
            "nonce": nonce,
            "id_number": ID_AN,
            "full_name": "Nguyễn Văn An",
            "birth_date": "1990-05-17",
        },
    )
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302 and response.url == reverse("portal:account_profile")
    profile = CitizenProfile.objects.get(id_number=ID_AN)
    assert profile.identity_verified and profile.birth_date == dt.date(1990, 5, 17)
    assert int(client.session[SESSION_KEY]) == profile.user_id
    assert IdentityLink.objects.get().provider == "demo"


@pytest.mark.django_db
def test_callback_without_a_started_flow_is_refused(client):
    response = client.get(reverse("portal:account_oidc_callback"), {"state": "x", "code": "y"})
    assert response.status_code == 400
    assert "state không khớp" in response.content.decode()


@pytest.mark.django_db
def test_switched_off_provider_is_not_found(client, settings):
    settings.IDENTITY_PROVIDERS = []
    assert client.get(reverse("portal:account_external_login", args=["demo"])).status_code == 404
    assert client.get(reverse("portal:account_demo_identity")).status_code == 404


@pytest.mark.django_db
def test_an_invalid_id_number_from_the_provider_is_refused():
    from motcua.accounts import services
    from motcua.accounts.errors import AccountError

    from .conftest import CLIENT

    identity = Identity(subject="s", id_number="123")
    with pytest.raises(AccountError, match="không trả về số định danh cá nhân hợp lệ"):
        services.login_with_identity("demo", identity, client=CLIENT, now=dt.datetime.now(dt.UTC))


def test_claim_mapping_and_helpers():
    claims = oidc.parse_claims(["id_number=so_dinh_danh", "full_name = ho_ten", "junk"])
    assert claims["id_number"] == "so_dinh_danh" and claims["full_name"] == "ho_ten"
    assert claims["email"] == "email"
    assert oidc.parse_date("1990-05-17") == dt.date(1990, 5, 17)
    assert oidc.parse_date("17/05/1990") == dt.date(1990, 5, 17)
    assert oidc.parse_date("") is None
    # the left half of SHA-256 of the access token, base64url (OIDC Core §3.1.3.6)
    assert oidc.at_hash("dNZX1hEZ9wBCzNL40Upu646bdzQA", "RS256") == "wfgvmE9VxjAudsl9lc6TqA"


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_unsigned_or_hmac_tokens_are_refused_before_any_key_is_fetched(settings, alg):
    import jwt

    settings.IDENTITY_OIDC_ISSUER = "https://idp.example"
    settings.IDENTITY_OIDC_CLIENT_ID = "c"
    provider = oidc.OIDCProvider()
    key = "a-shared-secret-of-at-least-32-bytes!" if alg == "HS256" else None
    token = jwt.encode({"sub": "1"}, key, algorithm=alg)
    meta = {"id_token_signing_alg_values_supported": ["RS256", alg]}
    with pytest.raises(IdentityError) as error:
        provider.verify_id_token(token, provider.config(), meta, nonce="n")
    assert error.value.code == "algorithm"


@pytest.mark.django_db
def test_an_unreachable_provider_is_explained(client, settings):
    settings.IDENTITY_PROVIDERS = ["vneid"]
    settings.IDENTITY_OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    settings.IDENTITY_OIDC_CLIENT_ID = "motcua"
    settings.IDENTITY_OIDC_TIMEOUT = 2
    response = client.get(reverse("portal:account_external_login", args=["vneid"]))
    assert response.status_code == 502
    assert "Không kết nối được VNeID" in response.content.decode()
