"""Numbers as Vietnamese writes them: "." between thousands, "," before decimals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ONE_PLACE = Decimal("0.1")


def format_number(value: int | Decimal, *, places: Decimal | None = None) -> str:
    """``value`` with Vietnamese separators and no trailing zeros: 53056 → "53.056";
    Decimal("62.50") → "62,5". With ``places`` it is rounded half up first: 9.294 → "9,3"."""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(places, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{number:f}".partition(".")
    fraction = fraction.rstrip("0")
    sign = "-" if whole.startswith("-") and (whole != "-0" or fraction) else ""
    text = sign + f"{abs(int(whole)):,}".replace(",", ".")
    return text + ("," + fraction if fraction else "")


def format_percent(share: Decimal, *, places: Decimal = ONE_PLACE) -> str:
    """A share 0–1 as a percentage: Decimal("0.125") → "12,5%"."""
    return format_number(Decimal(share) * 100, places=places) + "%"
