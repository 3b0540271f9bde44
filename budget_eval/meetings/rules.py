"""Meetings' rules as rules/meetings.yaml stands now (meeting kinds, the budget export's layout), re-read when
the file changes, the last good version kept while it is broken (platform.rules' machinery)."""
from __future__ import annotations

from budget_eval.meetings.domain.rule_files import load_meeting_rules, MeetingRules
from budget_eval.platform.rules import file_stamp, load_current, rules_dir

MEETINGS_FILE = "meetings.yaml"


def meeting_rules() -> MeetingRules:
    path = rules_dir() / MEETINGS_FILE
    rules: MeetingRules = load_current(load_meeting_rules, (path,), file_stamp(path))
    return rules
