"""Lifecycles as data: states with their Chinese labels and a declared transition table.

Every record with a status (proposal, assessment round, score sheet, materials item, meeting item, evaluation
year, innovation claim, appeal, rectification item …) declares one `Lifecycle`. The table says, for each
action, from which states it may be taken, by whom (capacities such as "department" or "office") and what state
follows. `budget_eval.platform.lifecycle.apply` is the only code that writes a status column, and it asks this
table first.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

# what a status column holds (a state's value, or None for `null_state`), or a state itself
StateValue = StrEnum | str | None
S = TypeVar("S", bound=StrEnum)

CONFLICT_MESSAGE = "该事项已由他人处理，请刷新后查看"


class TransitionError(ValueError):
    """An action that is not allowed now; the message is Chinese and fit for the user."""


class Conflict(TransitionError):
    """Someone else changed the record first (a lost race or a double click)."""

    def __init__(self, message: str = CONFLICT_MESSAGE):
        super().__init__(message)


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: frozenset[StrEnum]
    target: StrEnum
    actors: frozenset[str]
    needs_reason: bool = False


def step(action: str, label: str, sources: Iterable[StrEnum], target: StrEnum, actors: Iterable[str],
         needs_reason: bool = False) -> Step:
    return Step(action, label, frozenset(sources), target, frozenset(actors), needs_reason)


class Lifecycle:
    """One record type's states, labels and transition table."""

    def __init__(self, name: str, noun: str, states: type[S], labels: Mapping[S, str], steps: Iterable[Step], *,
                 column: str = "status", null_state: StrEnum | None = None, audit_kind: str = "state"):
        self.name, self.noun = name, noun
        self.states: type[StrEnum] = states
        self.labels: dict[StrEnum, str] = {state: label for state, label in labels.items()}
        self.steps = {s.action: s for s in steps}
        self.column, self.null_state, self.audit_kind = column, null_state, audit_kind
        missing = set(states) - set(self.labels)
        if missing:
            raise ValueError(f"{name}: states without a label: {sorted(missing)}")

    def label(self, state: StateValue) -> str:
        return self.labels[self.state(state)]

    def state(self, value: StateValue) -> StrEnum:
        """The state a stored value stands for (None means `null_state` where the column may be empty)."""
        if value is None:
            if self.null_state is not None:
                return self.null_state
            raise ValueError(f"None is not a valid {self.states.__name__}")  # as the enum itself says
        return self.states(value)

    def stored(self, state: StrEnum) -> str | None:
        """The value to store for a state (None for `null_state`)."""
        return None if state == self.null_state else state.value

    def check(self, action: str, state: StateValue, actors: Iterable[str], reason: str = "") -> Step:
        """Return the step if these actors may take `action` in `state`; raise TransitionError otherwise."""
        found = self.steps.get(action)
        if found is None:
            raise TransitionError(f"未知操作：{action}")
        current = self.state(state)
        if current not in found.sources:
            raise TransitionError(f"{self.noun}当前处于“{self.labels[current]}”阶段，不能执行“{found.label}”")
        if not found.actors & set(actors):
            raise TransitionError(f"您无权执行“{found.label}”")
        if found.needs_reason and not (reason or "").strip():
            raise TransitionError(f"“{found.label}”须填写理由")
        return found

    def available(self, state: StateValue, actors: Iterable[str]) -> list[Step]:
        """The actions these actors may take in this state."""
        current, who = self.state(state), set(actors)
        return [s for s in self.steps.values() if current in s.sources and s.actors & who]

    def actions(self, state: StateValue, *actors: str) -> list[str]:
        """The names of the actions these actors may take in this state (for templates)."""
        return [s.action for s in self.available(state, actors)]

    def allows(self, state: StateValue, actors: Iterable[str], action: str) -> bool:
        return any(s.action == action for s in self.available(state, actors))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The table as (from, action, actors, to) rows, for documentation and tests."""
        return [(self.labels[src], s.label, "、".join(sorted(s.actors)), self.labels[s.target])
                for s in self.steps.values() for src in sorted(s.sources)]
