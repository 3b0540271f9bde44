"""Social evaluation (社会评价): satisfaction scores from counts of answers, per the scheme's survey rules."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budget_eval.evaluation.domain.scheme import SurveyRules


@dataclass(frozen=True)
class Satisfaction:
    respondents: int  # answers that count (不了解 left out)
    unknown: int  # 不了解 answers
    rate: Decimal  # share of satisfied answers, 0–1
    score: Decimal  # group-weighted mean answer score, 0–100


def satisfaction(counts: Mapping[tuple[str, str], int], rules: SurveyRules) -> Satisfaction:
    """One department's result from counts keyed by (respondent group, answer).

    Each group's mean answer score is weighted by the group's weight (over the groups that answered), so a
    large group of citizens does not drown the deputies' voice unless the scheme says so.
    """
    by_group: dict[str, list[int]] = {}
    satisfied = unknown = 0
    for (group, answer), n in counts.items():
        if answer in rules.unknown:
            unknown += n
            continue
        if answer in rules.satisfied:
            satisfied += n
        by_group.setdefault(group, [0, 0])
        by_group[group][0] += n
        by_group[group][1] += n * int(rules.answers[answer])
    respondents = sum(total for total, _ in by_group.values())
    if respondents == 0:
        return Satisfaction(0, unknown, Decimal(0), Decimal(0))
    # a group the scheme does not list (when one year's survey is viewed under another scheme) weighs 1
    weights = {g: rules.groups.get(g, Decimal(1)) for g in by_group}
    weight = sum(weights.values(), Decimal(0))
    score = sum((weights[g] * Decimal(points) / Decimal(total) for g, (total, points) in by_group.items()),
                Decimal(0)) / weight
    rate = Decimal(satisfied) / Decimal(respondents)
    return Satisfaction(respondents, unknown, rate.quantize(Decimal("0.00001"), ROUND_HALF_UP),
                        score.quantize(Decimal("0.01"), ROUND_HALF_UP))
