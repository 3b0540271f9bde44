"""A proposal's attachments: stored (platform.file_store), recorded in its history, within its quota."""
from __future__ import annotations

from typing import BinaryIO

from flask import current_app
from sqlalchemy import func, select

from budget_eval.platform.extensions import db
from budget_eval.intake.models import Attachment, Proposal
from budget_eval.platform.models.user import User
from budget_eval.intake.actions import record_event
# the file store itself is the platform's; its names stay importable from here for the proposal views
from budget_eval.platform.file_store import (  # noqa: F401
    AttachmentError,
    clean_filename,
    mimetype,
    save_upload,
    storage_path,
)


def store(proposal: Proposal, upload: BinaryIO, filename: str, user: User) -> Attachment:
    """Check and keep an uploaded file, then record it; nothing is left behind if a step fails."""
    saved = save_upload(upload, filename)
    try:
        check_quota(proposal, saved.size)
        attachment = Attachment(filename=saved.filename, storage_key=saved.key, size=saved.size, sha256=saved.sha256,
                                uploaded_by_id=user.id)
        proposal.attachments.append(attachment)
        record_event(proposal, user, "上传附件", note=saved.filename)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        storage_path(saved.key).unlink(missing_ok=True)
        raise
    return attachment


def check_quota(proposal: Proposal, adding: int) -> None:
    """The per-proposal cap on files and total size (config), counted under a lock on the proposal row."""
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())
    count, total = db.session.execute(
        select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
        .where(Attachment.proposal_id == proposal.id)).one()
    config = current_app.config
    if count + 1 > config["ATTACHMENT_MAX_COUNT"]:
        raise AttachmentError(f"每个项目最多上传{config['ATTACHMENT_MAX_COUNT']}个附件，请先删除不再需要的附件")
    limit = config["ATTACHMENT_MAX_TOTAL_BYTES"]
    if total + adding > limit:
        raise AttachmentError(f"本项目附件总大小不能超过{limit // (1024 * 1024)}MB（已用{_mb(total)}MB），"
                              "请先删除不再需要的附件")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def remove(attachment: Attachment, user: User) -> None:
    proposal = attachment.proposal
    record_event(proposal, user, "删除附件", note=attachment.filename)
    db.session.delete(attachment)
    db.session.commit()
    storage_path(attachment.storage_key).unlink(missing_ok=True)
