"""Intake's rules as rules/ stands now: screening.yaml (art. 5) and intake.yaml (what a proposal holds),
re-read when a file changes, the last good version kept while a file is broken (platform.rules' machinery)."""
from __future__ import annotations

from budget_eval.intake.domain.rule_files import (
    counted_sources,
    IntakeRules,
    load_intake_rules,
    load_screening_rules,
    ScreeningRules,
)
from budget_eval.intake.domain.economy_rules import EconomyFile as EconomyRules, load_economy_rules
from budget_eval.platform.rules import file_stamp, load_current, rules_dir

__all__ = ["counted_sources", "economy_rules", "intake_rules", "screening_rules"]

SCREENING_FILE = "screening.yaml"
INTAKE_FILE = "intake.yaml"


def screening_rules() -> ScreeningRules:
    path = rules_dir() / SCREENING_FILE
    rules: ScreeningRules = load_current(load_screening_rules, (path,), file_stamp(path))
    return rules


def intake_rules() -> IntakeRules:
    path = rules_dir() / INTAKE_FILE
    rules: IntakeRules = load_current(load_intake_rules, (path,), file_stamp(path))
    return rules


ECONOMY_FILE = "economy.yaml"


def economy_rules() -> EconomyRules:
    """rules/economy.yaml as it stands now: cost bases, output types, price index, comparison, cost–benefit,
    splitting."""
    path = rules_dir() / ECONOMY_FILE
    rules: EconomyRules = load_current(load_economy_rules, (path,), file_stamp(path))
    return rules
