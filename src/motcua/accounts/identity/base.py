"""The identity-provider plugin interface (ARCHITECTURE rule 6) and its registry.

An identity provider (nhà cung cấp định danh: VNeID, a provincial single sign-on…) proves who
a citizen is. A plugin subclasses :class:`IdentityProvider`, declares ``id`` and ``label``, and
implements two steps of a browser redirect flow:

1. :meth:`IdentityProvider.authorization_url` — where to send the browser, carrying the
   ``state`` and ``nonce`` the portal generated (and keeps in the session);
2. :meth:`IdentityProvider.complete` — on the way back, turn the callback request into an
   :class:`Identity` or raise :class:`IdentityError` with a message for people.

``@registry.register`` makes a provider known; ``IDENTITY_PROVIDERS`` switches providers on.
The portal checks ``state`` (one-time, bound to the session) before calling ``complete``,
which must check the ``nonce`` itself (it travels inside the provider's signed answer).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core import checks


@dataclass(frozen=True)
class Identity:
    """Who the provider says the citizen is (what it did not give is empty / None)."""

    subject: str
    id_number: str
    full_name: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PendingFlow:
    """A sign-in started in this browser: kept in the session under its ``state``."""

    provider: str
    state: str
    nonce: str
    started_at: float
    next_url: str = ""


class IdentityError(Exception):
    """The provider's answer is refused; ``message`` says why and what to do."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class IdentityProvider(ABC):
    """One way of proving a citizen's identity. Subclasses are stateless and thread-safe."""

    id: ClassVar[str]
    label: ClassVar[str]

    @abstractmethod
    def authorization_url(self, request, state: str, nonce: str) -> str:
        """The provider's page to send the browser to (it comes back to the callback)."""

    @abstractmethod
    def complete(self, request, flow: PendingFlow) -> Identity:
        """Turn the callback ``request`` of ``flow`` into an :class:`Identity`.

        Raise :class:`IdentityError` when the answer cannot be trusted (bad signature,
        wrong nonce, wrong audience, expired) or the citizen cancelled."""

    def display_label(self) -> str:
        """The name on the sign-in button (a provider may read it from settings)."""
        return self.label

    def configuration_errors(self) -> list[str]:
        """What is missing in the settings for this provider to work (system check)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class Registry:
    """Providers by id; ``enabled()`` keeps those in ``IDENTITY_PROVIDERS``, in that order."""

    def __init__(self) -> None:
        self._providers: dict[str, IdentityProvider] = {}

    def register(self, cls: type[IdentityProvider]) -> type[IdentityProvider]:
        """Class decorator: register one instance of ``cls`` under ``cls.id``."""
        if cls.id in self._providers:
            raise ValueError(f"an identity provider with id {cls.id!r} is already registered")
        self._providers[cls.id] = cls()
        return cls

    def __contains__(self, provider_id: str) -> bool:
        return provider_id in self._providers

    def __iter__(self) -> Iterator[IdentityProvider]:
        return iter(self._providers.values())

    def enabled(self) -> list[IdentityProvider]:
        return [self._providers[i] for i in settings.IDENTITY_PROVIDERS if i in self._providers]

    def get(self, provider_id: str) -> IdentityProvider | None:
        """The provider if it is registered and switched on, else ``None``."""
        if provider_id not in settings.IDENTITY_PROVIDERS:
            return None
        return self._providers.get(provider_id)


#: The registry the application uses (filled by the provider modules at start-up).
registry = Registry()


def check_providers(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: each provider in ``IDENTITY_PROVIDERS`` exists and is configured."""
    errors: list[checks.CheckMessage] = []
    for provider_id in settings.IDENTITY_PROVIDERS:
        if provider_id not in registry:
            known = ", ".join(p.id for p in registry)
            errors.append(
                checks.Error(
                    f"IDENTITY_PROVIDERS names an unknown provider {provider_id!r}.",
                    hint=f"Known providers: {known}. Plugins load via IDENTITY_PLUGIN_MODULES.",
                    id="accounts.E001",
                )
            )
            continue
        for problem in registry._providers[provider_id].configuration_errors():
            errors.append(checks.Error(problem, id="accounts.E002"))
    return errors
