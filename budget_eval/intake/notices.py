"""Who is told when a proposal enters a state (the rule platform/notifications.py's receiver asks): the ones it
now waits for — the department's staff when it is theirs to act, the parent unit at 主管部门审核, the sector
authority when the report comes for review, the 财政管理员 when a submission or an adjustment comes in."""
from __future__ import annotations

from budget_eval.intake.domain.workflow import NEXT_ACTOR, Status
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.notifications import link, Notice, users_of, users_with_role

TO_DEPARTMENT = frozenset({Status.SELF_ASSESSMENT, Status.CONCLUDED, Status.CORRECTING, Status.REVIEWED,
                           Status.DECIDED, Status.RETURNED})
TO_ADMIN = frozenset({Status.SUBMITTED, Status.ADJUSTED})


def proposal_notices(proposal, action, before, after, user) -> list[Notice]:
    if after is None or before == after:
        return []
    state = Status(after)
    text = f"“{proposal.name}”进入“{state.label}”阶段：{NEXT_ACTOR[state]}。"
    if state is Status.RETURNED and proposal.events:  # the reasons, as the lifecycle writer recorded them
        text += f"退回理由：{proposal.events[-1].note}"[:120]
    url = link("proposals.detail", proposal_id=proposal.id)
    unit = proposal.department
    recipients: tuple[int, ...] = ()
    if state in TO_DEPARTMENT:
        recipients += users_of([proposal.department_id], Role.DEPARTMENT.value)
    if state is Status.AUTHORITY_REVIEW:
        recipients += users_of([unit.authority_id], Role.DEPARTMENT.value)
    if state is Status.REPORT_REVIEW:
        recipients += users_of([unit.sector_authority_id], Role.DEPARTMENT.value)
    if state in TO_ADMIN:
        recipients += users_with_role(Role.ADMIN.value)
    return [Notice(recipients, text, url)] if recipients else []
