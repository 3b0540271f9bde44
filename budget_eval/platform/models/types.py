"""Column types shared by the tables."""
from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

CENTS = Decimal(100)


class Decimal2(TypeDecorator):
    """A Decimal with two places (万元 amounts, scores), stored exactly as an integer count of hundredths.

    An integer column is exact on every backend (SQLite has no decimal type), and still sorts and sums
    correctly in SQL.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        cents = Decimal(value) * CENTS
        if cents != cents.to_integral_value():
            raise ValueError(f"amount {value} has more than two decimals")
        return int(cents)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / CENTS).quantize(Decimal("0.01"))


Wan = Decimal2  # an amount in 万元; 0.01万元 = 100元


def utcnow() -> datetime:
    """Naive UTC time for a column default (pass the function, not its result)."""
    return datetime.now(UTC).replace(tzinfo=None)


def render_migration_type(type_: str, obj, autogen_context):
    """Write custom column types into migrations as their plain SQL type, so migrations never import app code."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance.__class__.__name__}()"
    return False
