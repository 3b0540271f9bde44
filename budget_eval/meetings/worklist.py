"""The meetings' part of the 工作台 (platform/worklist.py): items put to a meeting whose decision the 财政管理员 has
not yet recorded (待记录决定), on the meeting's page where it is recorded. One query."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from budget_eval.intake.models import Proposal
from budget_eval.meetings.models import Meeting, MeetingItem
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.worklist import Entry, shown


def meetings_waiting(user) -> list[Entry]:
    if user.role_enum is not Role.ADMIN:
        return []
    items = db.session.scalars(select(MeetingItem).join(Meeting).where(MeetingItem.decision.is_(None))
                               .order_by(Meeting.id, MeetingItem.position)
                               .options(joinedload(MeetingItem.meeting),
                                        joinedload(MeetingItem.proposal).joinedload(Proposal.department))
                               .limit(shown() + 1))
    return [Entry("待记录决定", i.proposal.name, url_for("meetings.detail", meeting_id=i.meeting_id),
                  stage=i.meeting.title, detail=i.proposal.department.name, deadline=i.meeting.meeting_date,
                  order=40) for i in items]
