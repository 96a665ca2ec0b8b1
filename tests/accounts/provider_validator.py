"""The test provider's claims: django-oauth-toolkit's validator with national-identity claims.

Imported by django-oauth-toolkit (``OAUTH2_VALIDATOR_CLASS``) only while the OIDC tests have
put ``oauth2_provider`` in INSTALLED_APPS."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from .provider_people import PEOPLE


class VneidValidator(OAuth2Validator):
    """Adds the national-identity claims to the ID token and userinfo, whatever the scope."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return dict(PEOPLE.get(request.user.get_username(), {}))
