"""What was typed in a refused form, to send the page back with it (never lose input, issue 21 point 2).

A page with several forms names each (`key`: "draw", "reopen-12" …); the one that was sent comes back filled in
with its error, every other form starts as usual. Templates ask `kept.value(key, name, default)`,
`kept.checked(key, name, value)` and `kept.error(key)`.
"""
from __future__ import annotations

from collections.abc import Mapping


class Kept:
    def __init__(self, key: str = "", form: Mapping | None = None, error: str = ""):
        self.key, self.form, self.message = key, form if form is not None else {}, error

    def sent(self, key: str) -> bool:
        return bool(self.key) and self.key == key

    def value(self, key: str, name: str, default: object = "") -> object:
        return self.form.get(name, "") if self.sent(key) else default

    def checked(self, key: str, name: str, value: object, default: bool = False) -> bool:
        if not self.sent(key):
            return default
        getlist = getattr(self.form, "getlist", None)
        sent = getlist(name) if getlist else [self.form.get(name)]
        return str(value) in sent

    def error(self, key: str) -> str:
        return self.message if self.sent(key) else ""


NOTHING = Kept()
