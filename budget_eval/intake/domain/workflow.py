"""The proposal workflow as an explicit state machine. Views and services ask this module whether an action is
legal; nothing else decides.

The route (杭州市预算事前绩效评估管理办法 art. 5: "事前绩效评估报告分别报送行业主管部门和市财政部门审核。"
"审核通过后提交市政府常务会议或市长办公会议决策。"): materials → the assessor's self-assessment (a subordinate
unit's goes through its parent unit, 主管部门审核) → the panel's scores and conclusion (the report) → the report's
two reviews, each recorded apart (行业主管部门 and 财政局; finance alone where no sector authority is named), either
of which may return it for correction (退回补正) → the meeting. A conclusion of 调整完善后予以支持 sends the
department to revise and answer each opinion (修改说明); finance confirms the adjustment (then the two reviews) or
orders a new expert round when the change is substantial.
"""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, Step, step, TransitionError


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    MATERIALS = "materials"
    SELF_ASSESSMENT = "self_assessment"
    AUTHORITY_REVIEW = "authority_review"
    FINANCE_REVIEW = "finance_review"
    CONCLUDED = "concluded"
    REVISING = "revising"
    ADJUSTED = "adjusted"  # the department answered the opinions; finance confirms the adjustment
    REPORT_REVIEW = "report_review"  # the report's reviews (行业主管部门 and 财政局, recorded apart)
    CORRECTING = "correcting"  # a review returned the report for correction (退回补正)
    REVIEWED = "reviewed"  # both reviews passed: ready for the meeting
    MEETING = "meeting"
    DECIDED = "decided"
    RETURNED = "returned"  # finance returned the submission to the department for correction (申报退回补正)
    NOT_ASSESSED = "not_assessed"  # screened 不需要 or 免于评估: closed, a final state

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已提交",
    Status.MATERIALS: "材料审查",
    Status.SELF_ASSESSMENT: "部门自评",
    Status.AUTHORITY_REVIEW: "主管部门审核",
    Status.FINANCE_REVIEW: "财政评估",
    Status.CONCLUDED: "已出结论",
    Status.REVISING: "调整完善",
    Status.ADJUSTED: "调整待确认",
    Status.REPORT_REVIEW: "报告审核",
    Status.CORRECTING: "退回补正",
    Status.REVIEWED: "审核通过",
    Status.MEETING: "提交会议",
    Status.DECIDED: "会议决策",
    Status.RETURNED: "申报退回补正",
    Status.NOT_ASSESSED: "无需评估",
}

# where an item's road ends: nothing more is done with it (a 暂缓 decision can still go to a later meeting)
FINAL = frozenset({Status.NOT_ASSESSED})

# who acts next in each state, as shown on the proposal page
NEXT_ACTOR = {
    Status.DRAFT: "申报部门填写并提交",
    Status.SUBMITTED: "财政局受理，或退回申报部门补正",
    Status.MATERIALS: "财政局审查申报材料",
    Status.SELF_ASSESSMENT: "申报部门开展自评",
    Status.AUTHORITY_REVIEW: "主管部门审核自评",
    Status.FINANCE_REVIEW: "评审组评分，财政管理员出具结论",
    Status.CONCLUDED: "申报部门按评估结论办理：报送评估报告审核，或调整完善后再报；结论为不支持的，流程结束",
    Status.REVISING: "申报部门逐条回应评估意见，填写修改说明后提交",
    Status.ADJUSTED: "财政局确认调整完善情况（确认后转入报告审核，变化较大的重新组织评审）",
    Status.REPORT_REVIEW: "行业主管部门和财政局分别审核评估报告（未设行业主管部门的由财政局审核）",
    Status.CORRECTING: "申报部门补正后重新报送审核",
    Status.REVIEWED: "财政管理员提交会议",
    Status.MEETING: "等待会议决策",
    Status.DECIDED: "流程结束（暂缓的项目可提交以后的会议）",
    Status.RETURNED: "申报部门按退回理由补正后重新提交",
    Status.NOT_ASSESSED: "无需开展事前绩效评估，办结（按判定依据，不进入评估流程）",
}

# The workflow bar on the proposal page: the stages this item will take, and the stage a state not on the bar is
# shown at.
SHOWN_AT = {Status.RETURNED: Status.DRAFT, Status.ADJUSTED: Status.REVISING,
            Status.CORRECTING: Status.REPORT_REVIEW, Status.REVIEWED: Status.REPORT_REVIEW}


def route(state: Status, *, needs_assessment: bool | None, parent_review: bool, revised: bool) -> list[Status]:
    """The stages of this item's own road: 草稿 → 已提交 → 无需评估 for an item screened out; otherwise the
    assessment's stages, 主管部门审核 only for a unit with a parent unit, 调整完善 once the item takes it
    (`needs_assessment` is None before screening: the whole road is shown)."""
    stages_ = [Status.DRAFT, Status.SUBMITTED]
    if needs_assessment is False or state is Status.NOT_ASSESSED:
        return [*stages_, Status.NOT_ASSESSED]
    stages_ += [Status.MATERIALS, Status.SELF_ASSESSMENT]
    if parent_review:
        stages_.append(Status.AUTHORITY_REVIEW)
    stages_ += [Status.FINANCE_REVIEW, Status.CONCLUDED]
    if revised or state in (Status.REVISING, Status.ADJUSTED):
        stages_.append(Status.REVISING)
    return [*stages_, Status.REPORT_REVIEW, Status.MEETING, Status.DECIDED]


def stages(state: Status, *, needs_assessment: bool | None = None, parent_review: bool = True,
           revised: bool = False) -> list[tuple[str, str]]:
    """(label, position) for each stage of the workflow bar: position is 'done', 'current' or 'todo'; the current
    stage is labelled with the state itself where it differs (申报退回补正, 调整待确认, 退回补正, 审核通过)."""
    road = route(state, needs_assessment=needs_assessment, parent_review=parent_review, revised=revised)
    at = SHOWN_AT.get(state, state)
    index = road.index(at) if at in road else -1
    return [(STATUS_LABELS[state] if n == index else STATUS_LABELS[stage],
             "current" if n == index else ("done" if n < index else "todo")) for n, stage in enumerate(road)]


# States in which the department may edit its proposal.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED, Status.REVISING, Status.CORRECTING})


class Actor(StrEnum):
    DEPARTMENT = "department"  # staff of the submitting department
    AUTHORITY = "authority"  # staff of the department's parent unit (主管部门), who review its self-assessment
    SECTOR = "sector"  # staff of the department's sector authority (行业主管部门), who review the report
    ASSESSOR = "assessor"  # staff of the commissioned third-party assessor (第三方评估机构) of this proposal
    FINANCE = "finance"  # finance reviewers and admins
    ADMIN = "admin"  # finance admins only


def _t(action: str, label: str, sources: set[Status], target: Status, actors: set[Actor],
       needs_reason: bool = False) -> Step:
    return step(action, label, sources, target, actors, needs_reason)


TRANSITIONS = {
    t.action: t
    for t in (
        _t("submit", "提交", {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED, {Actor.DEPARTMENT}),
        # a submission screened 不需要 or 免于评估 (art. 5) closes at once as 无需评估 (a final state)
        _t("submit_not_required", "提交（判定无需评估，办结）", {Status.DRAFT, Status.RETURNED}, Status.NOT_ASSESSED,
           {Actor.DEPARTMENT}),
        # finance returns an incomplete or wrong submission to the department with its reasons (退回补正)
        _t("return_submission", "退回补正", {Status.SUBMITTED, Status.MATERIALS}, Status.RETURNED, {Actor.ADMIN},
           needs_reason=True),
        _t("accept", "受理，开始材料审查", {Status.SUBMITTED}, Status.MATERIALS, {Actor.FINANCE}),
        _t("materials_complete", "材料齐全，转部门自评", {Status.MATERIALS}, Status.SELF_ASSESSMENT, {Actor.FINANCE}),
        # a subordinate unit's self-assessment goes through its parent unit; a bureau with none goes to finance
        _t("submit_self", "提交自评，报主管部门审核", {Status.SELF_ASSESSMENT}, Status.AUTHORITY_REVIEW,
           {Actor.DEPARTMENT, Actor.ASSESSOR}),
        _t("submit_self_direct", "提交自评，报财政局评估", {Status.SELF_ASSESSMENT}, Status.FINANCE_REVIEW,
           {Actor.DEPARTMENT, Actor.ASSESSOR}),
        _t("authority_approve", "审核通过，报财政局评估", {Status.AUTHORITY_REVIEW}, Status.FINANCE_REVIEW,
           {Actor.AUTHORITY}),
        _t("authority_return", "退回部门修改自评", {Status.AUTHORITY_REVIEW}, Status.SELF_ASSESSMENT,
           {Actor.AUTHORITY}, needs_reason=True),
        _t("conclude", "出具评估结论", {Status.FINANCE_REVIEW}, Status.CONCLUDED, {Actor.ADMIN}),
        # art. 5: the report goes to the sector authority and to finance, each reviewing it on its own record
        _t("send_review", "报送行业主管部门和财政局审核", {Status.CONCLUDED}, Status.REPORT_REVIEW, {Actor.DEPARTMENT}),
        _t("send_review_finance", "报送财政局审核", {Status.CONCLUDED}, Status.REPORT_REVIEW, {Actor.DEPARTMENT}),
        _t("sector_pass", "行业主管部门审核通过", {Status.REPORT_REVIEW}, Status.REPORT_REVIEW, {Actor.SECTOR},
           needs_reason=True),
        _t("sector_return", "行业主管部门退回补正", {Status.REPORT_REVIEW}, Status.CORRECTING, {Actor.SECTOR},
           needs_reason=True),
        _t("finance_pass", "财政局审核通过", {Status.REPORT_REVIEW}, Status.REPORT_REVIEW, {Actor.FINANCE},
           needs_reason=True),
        _t("finance_return", "财政局退回补正", {Status.REPORT_REVIEW}, Status.CORRECTING, {Actor.FINANCE},
           needs_reason=True),
        # taken by the pass that completes the reviews, never offered on its own
        _t("reviews_complete", "评估报告审核通过", {Status.REPORT_REVIEW}, Status.REVIEWED,
           {Actor.SECTOR, Actor.FINANCE}),
        _t("resend_review", "补正后重新报送审核", {Status.CORRECTING}, Status.REPORT_REVIEW, {Actor.DEPARTMENT},
           needs_reason=True),
        # 调整完善后予以支持: revise, answer each opinion, finance confirms (or orders a new expert round)
        _t("start_revision", "开始调整完善", {Status.CONCLUDED}, Status.REVISING, {Actor.DEPARTMENT}),
        _t("resubmit", "提交调整完善情况", {Status.REVISING}, Status.ADJUSTED, {Actor.DEPARTMENT}),
        _t("confirm_adjustment", "确认调整到位，转入报告审核", {Status.ADJUSTED}, Status.REPORT_REVIEW, {Actor.FINANCE}),
        _t("return_adjustment", "退回继续调整", {Status.ADJUSTED}, Status.REVISING, {Actor.FINANCE},
           needs_reason=True),
        _t("adjustment_new_round", "调整变化较大，重新组织评审", {Status.ADJUSTED}, Status.FINANCE_REVIEW,
           {Actor.ADMIN}, needs_reason=True),
        # a project the meeting deferred (暂缓) can go before a later meeting
        _t("to_meeting", "提交会议", {Status.REVIEWED, Status.DECIDED}, Status.MEETING, {Actor.ADMIN}),
        _t("decide", "记录会议决策", {Status.MEETING}, Status.DECIDED, {Actor.ADMIN}),
    )
}

# actions taken on their own pages (they need more than a reason), not from the proposal page's action buttons
# (reviews_complete is taken by the review that completes the pair; resubmit on the adjustment page)
OWN_PAGE_ACTIONS = frozenset({"submit", "submit_not_required", "conclude", "reviews_complete", "resubmit", "to_meeting", "decide"})

# the report's reviews: which reviewer each step records, and whether it passes the report
REVIEW_STEPS = {"sector_pass": ("sector", True), "sector_return": ("sector", False),
                "finance_pass": ("finance", True), "finance_return": ("finance", False)}
REVIEWER_LABELS = {"sector": "行业主管部门", "finance": "财政局"}


def required_reviewers(has_sector_authority: bool) -> tuple[str, ...]:
    """Who reviews the report: the sector authority and finance, or finance alone where no sector authority is set."""
    return ("sector", "finance") if has_sector_authority else ("finance",)


def pending_reviewers(has_sector_authority: bool, done: set[str]) -> list[str]:
    """The reviewers of the current cycle who have not yet recorded their review."""
    return [r for r in required_reviewers(has_sector_authority) if r not in done]


PROPOSAL = Lifecycle("proposal", "项目", Status, STATUS_LABELS, TRANSITIONS.values())

WorkflowError = TransitionError
Transition = Step


def check(action: str, state: Status, actors: set[Actor], reason: str = "") -> Step:
    """Return the transition if `actors` may take `action` in `state`; raise WorkflowError otherwise."""
    return PROPOSAL.check(action, state, actors, reason)


def available(state: Status, actors: set[Actor]) -> list[Step]:
    """Actions these actors may take in this state (before service-level conditions)."""
    return PROPOSAL.available(state, actors)
