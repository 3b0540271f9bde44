"""The hot-word extraction's inputs from rules/hotwords/: its parameters (settings.yaml) and its word lists."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from budget_eval.platform.domain.ruleset import read_yaml


def read_word_list(path: Path) -> list[str]:
    """One entry a line; blank lines and lines starting with # are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class Settings:
    """The extraction's parameters, every one from rules/hotwords/settings.yaml (no defaults here)."""

    rare_max: int
    phrase_share: float
    phrase_min: int
    generic_candidates: int
    generic_lift: float
    generic_share: float
    generic_min: float
    generic_min_comments: int
    praise: tuple[str, ...]
    criticism: tuple[str, ...]
    examples: int
    min_examples: int
    issues: int
    issue_min_comments: int
    issue_min_share: float
    report_units: int

    @classmethod
    def from_file(cls, path: Path) -> Settings:
        data, _ = read_yaml(path)

        def number(key: str) -> float:
            return float(Decimal(str(data[key])))

        return cls(
            rare_max=int(data["rare_word_max_frequency"]), phrase_share=number("phrase_share"),
            phrase_min=int(data["phrase_min_comments"]),
            generic_candidates=int(data["generic_candidates"]), generic_lift=number("generic_lift"),
            generic_share=number("generic_share"), generic_min=number("generic_min_share_of_comments"),
            generic_min_comments=int(data["generic_min_comments"]),
            praise=tuple(data.get("praise_markers") or ()), criticism=tuple(data.get("criticism_markers") or ()),
            examples=int(data["examples"]), min_examples=int(data["min_examples"]), issues=int(data["issues"]),
            issue_min_comments=int(data["issue_min_comments"]), issue_min_share=number("issue_min_share"),
            report_units=int(data["report_units"]),
        )
