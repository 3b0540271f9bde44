"""A record whose status column a `Lifecycle` declares: its state as the enum member and its label.

Templates never compare a status with a string; they read `state_label` or a predicate the model defines
against the enum (`is_open`, `is_submitted` …), or the actions the view passes from the lifecycle.
"""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle


class Stateful:
    lifecycle: Lifecycle  # set by each model class (a plain class attribute, not a column)

    @property
    def state(self) -> StrEnum:
        return self.lifecycle.state(getattr(self, self.lifecycle.column))

    @property
    def state_label(self) -> str:
        return self.lifecycle.labels[self.state]
