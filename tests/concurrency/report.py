"""Summarise the races of the last harness run (test-artifacts/concurrency/races.jsonl) as Markdown.

    .venv/bin/python -m tests.concurrency.report

Per race: how many runs, how many failed, and for each rule how many runs broke it, with the worst
figures seen (server errors, winners, extra rows).
"""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict

from tests.concurrency.runner import REPORT


def rule_of(problem: str) -> str:
    if problem.startswith("invariant broken: "):
        return "invariant: " + problem.removeprefix("invariant broken: ").split(":")[0]
    return problem.split(":")[0]


def worst(problems: list[str]) -> str:
    """The largest figure of the rule in any run (e.g. '3 of 8 posts', 'assessment +3 (one post: +1)')."""
    def weight(text: str) -> int:
        return max((int(n) for n in re.findall(r"\d+", text)), default=0)
    detail = max(problems, key=weight).split(": ", 1)[-1]
    return detail if len(detail) < 160 else detail[:157] + "…"


def main() -> int:
    if not REPORT.exists():
        print(f"no {REPORT}: run the harness first", file=sys.stderr)
        return 1
    runs: dict[str, list[dict]] = defaultdict(list)
    for line in REPORT.read_text(encoding="utf-8").splitlines():
        outcome = json.loads(line)
        runs[outcome["scenario"]].append(outcome)
    print("| race | runs | failed | rule broken (runs) | worst seen |")
    print("|---|---|---|---|---|")
    for name, outcomes in runs.items():
        failed = [o for o in outcomes if o["problems"]]
        by_rule: dict[str, list[str]] = defaultdict(list)
        for outcome in failed:
            for rule, problems in _group(outcome["problems"]).items():
                by_rule[rule].append("; ".join(problems))
        rules = "<br>".join(f"{rule} ({len(seen)})" for rule, seen in by_rule.items()) or "—"
        details = "<br>".join(worst(seen) for seen in by_rule.values()) or "—"
        print(f"| {name} | {len(outcomes)} | {len(failed)} | {rules} | {details} |")
    seconds = [o["seconds"].get("total", 0) for os_ in runs.values() for o in os_]
    print(f"\n{len(seconds)} races, {sum(seconds):.1f} s in all, {sum(seconds) / max(len(seconds), 1):.2f} s each")
    return 0


def _group(problems: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        grouped[rule_of(problem)].append(problem)
    return grouped


if __name__ == "__main__":
    raise SystemExit(main())
