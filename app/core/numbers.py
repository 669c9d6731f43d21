"""How the service rounds the figures it reports: one decimal, half-up."""

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int | None) -> Decimal | None:
    """part / whole × 100, one decimal, half-up (79 of 140 → 56.4); None when whole is 0."""
    if not whole:
        return None
    return one_decimal(Decimal(part) * 100 / Decimal(whole))
