"""Reads of citizen accounts."""

from __future__ import annotations

from motcua.accounts.identifiers import EMAIL, ID_NUMBER, PHONE, Identifier
from motcua.accounts.models import AccountKind, CitizenProfile, IdentityLink, LoginEvent

_FIELD = {PHONE: "phone", EMAIL: "email", ID_NUMBER: "id_number"}


def profile_for(identifier: Identifier) -> CitizenProfile | None:
    """The account a login name belongs to (an ID number finds the personal account first)."""
    rows = CitizenProfile.objects.select_related("user").filter(
        **{_FIELD[identifier.kind]: identifier.value}
    )
    if identifier.kind == ID_NUMBER:
        rows = rows.order_by("-kind")  # "person" sorts after "organisation"
    return rows.first()


def profile_of(user) -> CitizenProfile | None:
    """The citizen profile of ``user`` (None for staff without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CitizenProfile.objects.select_related("user").filter(user=user).first()


def person_with_id(id_number: str) -> CitizenProfile | None:
    return (
        CitizenProfile.objects.select_related("user")
        .filter(kind=AccountKind.PERSON, id_number=id_number)
        .first()
    )


def contact_taken(kind: str, value: str, *, exclude_user=None) -> bool:
    """Whether another account already uses this phone number or e-mail address."""
    rows = CitizenProfile.objects.filter(**{_FIELD[kind]: value})
    if exclude_user is not None:
        rows = rows.exclude(user=exclude_user)
    return rows.exists()


def links_of(user) -> list[IdentityLink]:
    return list(IdentityLink.objects.filter(user=user).order_by("provider"))


def recent_events(user, limit: int = 10) -> list[LoginEvent]:
    """The last security events of an account (shown to its owner)."""
    return list(LoginEvent.objects.filter(user=user).order_by("-at", "-pk")[:limit])
