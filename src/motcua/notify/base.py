"""The channel plugin interface (ARCHITECTURE rule 6) and the registry of channels.

A channel (kênh thông báo) carries one outbox message to one recipient: e-mail over SMTP,
an SMS gateway, Zalo ZNS… Each implementation subclasses :class:`Channel`, declares an ``id``,
a ``label`` and the ``medium`` it uses, and implements :meth:`Channel.send`. Registering it
(``@registry.register``) makes it known; ``NOTIFY_CHANNELS`` in the settings chooses which of
the known channels are switched on. Tests build a throw-away :class:`Registry` with a fake.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core import checks

if TYPE_CHECKING:
    from motcua.notify.models import OutboxMessage

#: The media a channel can use; the applicant's address for each comes from the dossier.
EMAIL, SMS, ZALO = "email", "sms", "zalo"
MEDIA = (EMAIL, SMS, ZALO)


class ChannelError(Exception):
    """Sending failed. ``permanent`` failures (address refused, message rejected) make the
    message ``dead`` at once; temporary ones (provider down, timeout) are retried later."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class Channel(ABC):
    """One way of reaching an applicant. Subclasses are stateless and thread-safe."""

    id: ClassVar[str]
    label: ClassVar[str]
    medium: ClassVar[str] = SMS  # email, sms or zalo

    @property
    def template_kind(self) -> str:
        """E-mail channels use e-mail templates; every other medium uses the short text."""
        return "email" if self.medium == EMAIL else "sms"

    def address_of(self, dossier) -> str:
        """The applicant's address on this medium (e-mail, else the phone number)."""
        if self.medium == EMAIL:
            return (dossier.applicant_email or "").strip()
        return (dossier.applicant_phone or "").replace(" ", "").strip()

    @abstractmethod
    def send(self, message: OutboxMessage) -> None:
        """Deliver ``message`` (its ``recipient``, ``subject``, ``body``) or raise
        :class:`ChannelError`. Must be safe to call again for the same message: delivery is
        at-least-once, and ``message.pk`` is a stable idempotency key for the provider."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class Registry:
    """Channels by id. ``enabled()`` keeps those named in ``NOTIFY_CHANNELS``, in that order."""

    def __init__(self) -> None:
        self._channels: dict[str, Channel] = {}

    def register(self, cls: type[Channel]) -> type[Channel]:
        """Class decorator: register one instance of ``cls`` under ``cls.id``."""
        if cls.medium not in MEDIA:
            raise ValueError(f"{cls.__name__}.medium must be one of {MEDIA}")
        if cls.id in self._channels:
            raise ValueError(f"a notification channel with id {cls.id!r} is already registered")
        self._channels[cls.id] = cls()
        return cls

    def __contains__(self, channel_id: str) -> bool:
        return channel_id in self._channels

    def __getitem__(self, channel_id: str) -> Channel:
        return self._channels[channel_id]

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._channels.values())

    def enabled(self) -> list[Channel]:
        return [self._channels[i] for i in settings.NOTIFY_CHANNELS if i in self._channels]

    def get(self, channel_id: str) -> Channel | None:
        """The channel if it is registered and switched on, else ``None``."""
        if channel_id not in settings.NOTIFY_CHANNELS:
            return None
        return self._channels.get(channel_id)


#: The registry the application uses; :mod:`motcua.notify.channels` fills it.
registry = Registry()


def check_channels(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every channel in ``NOTIFY_CHANNELS`` exists; one channel per medium."""
    errors: list[checks.CheckMessage] = []
    media: dict[str, str] = {}
    for channel_id in settings.NOTIFY_CHANNELS:
        if channel_id not in registry:
            known = ", ".join(c.id for c in registry)
            errors.append(
                checks.Error(
                    f"NOTIFY_CHANNELS names an unknown channel {channel_id!r}.",
                    hint=f"Known channels: {known}. Plugins load via NOTIFY_PLUGIN_MODULES.",
                    id="notify.E001",
                )
            )
            continue
        medium = registry[channel_id].medium
        if medium in media:
            errors.append(
                checks.Error(
                    f"Channels {media[medium]!r} and {channel_id!r} both use {medium!r}.",
                    hint="Switch on one channel per medium in NOTIFY_CHANNELS.",
                    id="notify.E002",
                )
            )
        media[medium] = channel_id
    if settings.NOTIFY_MAX_ATTEMPTS < 1:
        errors.append(checks.Error("NOTIFY_MAX_ATTEMPTS must be at least 1.", id="notify.E003"))
    return errors
