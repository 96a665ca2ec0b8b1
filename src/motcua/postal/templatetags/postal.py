"""``{% postal_facts d %}``: the postal handovers of a dossier on the staff dossier page.

One query, only for dossiers submitted or returned by post (the page asks only then)."""

from __future__ import annotations

from django import template

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


@register.filter
def vnd(amount) -> str:
    """An amount in đồng with dots between thousands, as Vietnamese writes it: ``25.000``."""
    try:
        return f"{int(amount):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
