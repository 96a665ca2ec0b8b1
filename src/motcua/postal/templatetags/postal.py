"""``{% postal_facts d %}``: the postal handovers of a dossier on the staff dossier page;
``{% postal_handovers d as post %}``: the same by direction, for the hand-off rows of the
control sheet (Mẫu 06).

One query, only for dossiers submitted or returned by post (the page asks only then)."""

from __future__ import annotations

from django import template

from motcua.postal.models import Direction
from motcua.postal.queries import handovers_of

register = template.Library()


@register.inclusion_tag("postal/_facts.html")
def postal_facts(dossier) -> dict:
    rows = handovers_of(dossier)
    return {
        "d": dossier,
        "rows": rows,
        "total_fee": sum(r.fee for r in rows),
    }


@register.simple_tag
def postal_handovers(dossier) -> dict:
    """The handovers between the post and the one-stop unit, by direction (``inbound``:
    the post hands the dossier over; ``outbound``: the unit hands the result to the post),
    each a hand-off of the dossier for the control sheet (Mẫu 06, Circular 03/2025). No
    query for a dossier neither submitted nor returned by post."""
    if dossier.channel != "postal" and dossier.return_method != "post":
        return {}
    rows = handovers_of(dossier)
    return {
        "inbound": [r for r in rows if r.direction == Direction.INBOUND],
        "outbound": [r for r in rows if r.direction == Direction.OUTBOUND],
    }


@register.filter
def vnd(amount) -> str:
    """An amount in đồng with dots between thousands, as Vietnamese writes it: ``25.000``."""
    try:
        return f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
