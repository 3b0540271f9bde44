"""Proposal states. The review workflow (issue 3) extends this list and its transitions."""
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {Status.DRAFT: "草稿", Status.SUBMITTED: "已提交"}

# States in which the department may still edit its proposal.
EDITABLE = frozenset({Status.DRAFT})
