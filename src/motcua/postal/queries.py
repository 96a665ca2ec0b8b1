"""Reads of the postal channel."""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.postal.models import PostalHandover


def handovers_of(dossier: Dossier) -> list[PostalHandover]:
    """The dossier's handovers with the post, in time order (one query)."""
    return list(PostalHandover.objects.filter(dossier=dossier).order_by("handed_over_at", "pk"))
