"""Select options for WTForms (which wants SelectChoice objects rather than tuples from 3.3 on)."""
from collections.abc import Iterable

from wtforms import SelectChoice


def options(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
