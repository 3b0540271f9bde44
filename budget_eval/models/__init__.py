"""Database tables, one module per area."""
from budget_eval.models.audit import AuditEvent
from budget_eval.models.assessment import (
    Assessment,
    MaterialItem,
    Meeting,
    MeetingItem,
    PanelMember,
    PanelScore,
    ProposalVersion,
    ScoreRevision,
    SelfAssessment,
)
from budget_eval.models.department import Department
from budget_eval.models.evaluation import (
    Appeal,
    Deduction,
    EvalTarget,
    EvaluationUnit,
    EvaluationYear,
    Innovation,
    LeaderScore,
    Rectification,
    ScoreChange,
    SurveyResponse,
)
from budget_eval.models.proposal import (
    Attachment,
    FundSource,
    FundYear,
    PerformanceTarget,
    Proposal,
    ProposalEvent,
    ScreeningRecord,
)
from budget_eval.models.user import LoginAttempt, User

__all__ = [
    "AuditEvent",
    "Appeal",
    "Deduction",
    "EvalTarget",
    "EvaluationUnit",
    "EvaluationYear",
    "Innovation",
    "LeaderScore",
    "LoginAttempt",
    "Rectification",
    "ScoreChange",
    "SurveyResponse",
    "Assessment",
    "MaterialItem",
    "Meeting",
    "MeetingItem",
    "PanelMember",
    "PanelScore",
    "ProposalVersion",
    "ScoreRevision",
    "SelfAssessment",
    "Attachment",
    "Department",
    "FundSource",
    "FundYear",
    "PerformanceTarget",
    "Proposal",
    "ProposalEvent",
    "ScreeningRecord",
    "User",
]
