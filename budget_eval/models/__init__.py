"""Database tables, one module per area."""
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
from budget_eval.models.proposal import (
    Attachment,
    FundSource,
    FundYear,
    PerformanceTarget,
    Proposal,
    ProposalEvent,
    ScreeningRecord,
)
from budget_eval.models.user import User

__all__ = [
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
