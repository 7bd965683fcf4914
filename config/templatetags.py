"""Template filters available in every template (registered as a builtin in settings)."""

from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Integer rupiah the Indonesian way, in every UI language: 11000 → "Rp 11.000"."""
    if value in (None, ""):
        return "—"
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return "—"
    return "Rp " + f"{amount:,}".replace(",", ".")
