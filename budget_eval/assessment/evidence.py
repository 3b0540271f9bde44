"""The materials a rating cites: page counts, pages rendered to PNG on the server (pdftoppm, poppler-utils; no
viewer is fetched from the internet, intranets are often offline), and whether a citation resolves.

A citation resolves when its file is one of the proposal's attachments, is still in the attachment store, has
that page (a PDF's pages as pdfinfo counts them; any other file is one page: it is cited as a whole), and the
reviewer may see the proposal (intake's visibility policy: a reviewer sees nothing before signing the pledge).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from budget_eval.assessment.domain.ratings import Citation
from budget_eval.intake.models import Attachment, Proposal
from budget_eval.intake.permissions import can_view_proposal
from budget_eval.platform.file_store import storage_path
from budget_eval.platform.models.user import User

RENDER_DPI = 110
_PAGES = re.compile(rb"^Pages:\s+(\d+)", re.M)


def is_pdf(attachment: Attachment) -> bool:
    return attachment.filename.lower().endswith(".pdf")


def page_count(attachment: Attachment) -> int | None:
    """How many pages the file has (a non-PDF file counts as one); None when the file is gone or unreadable."""
    path = storage_path(attachment.storage_key)
    if not path.is_file():
        return None
    if not is_pdf(attachment):
        return 1
    cache = _cache_dir() / f"{attachment.storage_key}.pages"
    if cache.is_file():
        return int(cache.read_text())
    program = shutil.which("pdfinfo")
    if program is None:
        return None
    try:
        done = subprocess.run([program, str(path)], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    match = _PAGES.search(done.stdout)
    if match is None:
        return None
    cache.write_text(match.group(1).decode())
    return int(match.group(1))


def can_render() -> bool:
    return shutil.which("pdftoppm") is not None


def page_png(attachment: Attachment, page: int) -> Path | None:
    """The page as a PNG (rendered once, then kept beside the attachments); None if it cannot be made."""
    count = page_count(attachment)
    if not is_pdf(attachment) or count is None or not 1 <= page <= count:
        return None
    target = _cache_dir() / f"{attachment.storage_key}-{page}.png"
    if target.is_file():
        return target
    program = shutil.which("pdftoppm")
    if program is None:
        return None
    stem = target.with_suffix("")
    try:
        subprocess.run([program, "-png", "-r", str(RENDER_DPI), "-f", str(page), "-l", str(page), "-singlefile",
                        str(storage_path(attachment.storage_key)), str(stem)],
                       capture_output=True, check=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        current_app.logger.error("pdftoppm failed on %s page %s", attachment.storage_key, page)
        return None
    return target if target.is_file() else None


def _cache_dir() -> Path:
    folder = Path(current_app.config["ATTACHMENT_DIR"]) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def resolver(proposal: Proposal, user: User) -> Callable[[Citation], str | None]:
    """Why a citation does not resolve for this reviewer on this proposal, or None."""
    files = {a.id: a for a in proposal.attachments}

    def why(citation: Citation) -> str | None:
        attachment = files.get(citation.attachment)
        if attachment is None or not can_view_proposal(user, proposal):
            return "所引材料不是本项目的申报材料，请重新选择"
        count = page_count(attachment)
        if count is None:
            return f"所引材料“{attachment.filename}”无法读取，请联系财政管理员"
        if not 1 <= citation.page <= count:
            return f"“{attachment.filename}”共{count}页，没有第{citation.page}页"
        return None

    return why


def label(attachment: Attachment | None, page: int) -> str:
    """How a citation reads: 《名称》第3页."""
    name = attachment.filename if attachment is not None else "（材料已不存在）"
    return f"《{name}》第{page}页"
