"""Every feature's Word templates in report_templates/ (GB/T 9704 layout), built from code byte for byte reproducibly.

Composition root: each feature lays out its own templates (assessment the report and the expert opinion form,
meetings the meeting pack, evaluation the results notice and the feedback report), with platform's shared layout
helpers; this list puts them together for `scripts/build_report_templates.py` and for the test that the committed
templates are what the code builds. Run the script after changing a layout.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from budget_eval.assessment.documents.build import OPINION, REPORT
from budget_eval.assessment.documents.opinion_template import opinion_form
from budget_eval.assessment.documents.report_front import report_document
from budget_eval.evaluation.feedback_report import TEMPLATE as FEEDBACK
from budget_eval.evaluation.feedback_template import feedback_report
from budget_eval.evaluation.notice import NOTICE
from budget_eval.evaluation.notice_template import notice
from budget_eval.meetings.pack import PACK
from budget_eval.meetings.pack_template import meeting_pack
from budget_eval.platform.layout import new_document

FIXED_TIME = (2026, 1, 1, 0, 0, 0)
BUILDERS = {
    REPORT: report_document,
    OPINION: opinion_form,
    PACK: meeting_pack,
    NOTICE: notice,
    FEEDBACK: feedback_report,
}


def build(name: str) -> bytes:
    document = _gbt9704_document(name)
    BUILDERS[name](document)
    out = io.BytesIO()
    document.save(out)
    return _normalised(out.getvalue())


def _gbt9704_document(name: str):
    """platform.layout's document (page, styles, page numbers) with fixed properties."""
    document = new_document()
    core = document.core_properties
    core.author = core.last_modified_by = "budget_eval"
    core.title, core.language, core.revision = name.removesuffix(".docx"), "zh-CN", 1
    core.created = core.modified = datetime(*FIXED_TIME)
    return document


def _normalised(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so that building twice gives identical files."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def build_all(directory: Path) -> list[Path]:
    written = []
    for name in BUILDERS:
        path = directory / name
        path.write_bytes(build(name))
        written.append(path)
    return written
