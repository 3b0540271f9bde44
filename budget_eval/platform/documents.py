"""Render Word templates from report_templates/ with docxtpl, escaping every value."""
from __future__ import annotations

import hashlib
import io
import math
import os
import shutil
import subprocess
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from budget_eval.platform import docx_render
from budget_eval.platform.domain.calendar import BEIJING
from pathlib import Path

from flask import current_app



def template_path(name: str) -> Path:
    """A Word template in report_templates/ (REPORT_TEMPLATES_DIR)."""
    return Path(current_app.config["REPORT_TEMPLATES_DIR"]) / name


def chinese_date(moment: datetime | None) -> str:
    """A stored UTC time as its Beijing date written the Chinese way: 2026年3月5日."""
    if moment is None:
        return ""
    local = moment + BEIJING
    return f"{local.year}年{local.month}月{local.day}日"


# characters XML 1.0 forbids, and \a \f which docxtpl would turn into paragraphs and page breaks
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Image:
    """A picture anywhere in a context (e.g. one radar chart per report of a meeting pack)."""

    png: bytes
    width_mm: float


def clean(value):
    """Strip characters that cannot appear in a Word document from user text (recursively)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def _images(value, document):
    from docx.shared import Mm
    from docxtpl import InlineImage

    if isinstance(value, Image):
        return InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _images(v, document) for k, v in value.items()}
    if isinstance(value, list):
        return [_images(v, document) for v in value]
    return value


_TEMPLATE_VERSIONS: dict[tuple, str] = {}


def template_version(template: Path) -> str:
    """The template file's version (a hash of its bytes, cached per modification time and size)."""
    stat = template.stat()
    stamp = (str(template), stat.st_mtime_ns, stat.st_size)
    version = _TEMPLATE_VERSIONS.get(stamp)
    if version is None:
        version = hashlib.sha256(template.read_bytes()).hexdigest()[:16]
        _TEMPLATE_VERSIONS[stamp] = version
    return version


def cached_document(key: tuple, make: Callable[[], bytes]) -> bytes:
    """A rendered document kept in the attachment folder (shared by every server) under a hash of `key`, which
    names everything the document is made of (e.g. round, rules version, template version): made once, then
    read back. Written to a temporary file and renamed, so a reader never sees half a file."""
    digest = hashlib.sha256(repr(key).encode("utf-8")).hexdigest()
    folder = Path(current_app.config["ATTACHMENT_DIR"]) / "document_cache"
    path = folder / f"{digest}.bin"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except OSError:
        current_app.logger.warning("document cache not written: %s", path, exc_info=True)
    return data


def render(template: Path, context: dict, images: dict[str, tuple[bytes, int]] | None = None) -> bytes:
    """Fill a template; `images` maps a variable to (PNG bytes, width in mm). autoescape keeps `& < >` intact.
    A missing or unreadable template raises FileNotFoundError/PermissionError (a Chinese page, logged: errors.py)."""
    with open(template, "rb"):  # python-docx would say only "package not found"
        pass
    from docx.shared import Mm
    from docxtpl import InlineImage

    document = docx_render.template_class()(str(template))
    context = _images(clean(context), document)
    for name, (png, width) in (images or {}).items():
        context[name] = InlineImage(document, io.BytesIO(png), width=Mm(width))
    document.render(context, jinja_env=docx_render.ENVIRONMENT, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# one 目录 line as pdftotext writes it: the entry, a dot leader, the page number
_TOC_LINE = re.compile(r"^(?P<label>.*?)\s*[.·…]{4,}\s*(?P<page>\d+)\s*$")


def toc_pages(pdf_text: str, count: int) -> list[str] | None:
    """The page numbers LibreOffice gave the first `count` 目录 lines (PAGEREF fields), read from the PDF's text."""
    pages = pdf_text.split("\f")
    start = next((n for n, page in enumerate(pages) if re.sub(r"\s", "", page).startswith("目录")), None)
    if start is None:
        return None
    found: list[str] = []
    for page in pages[start:]:
        for line in page.splitlines():
            match = _TOC_LINE.match(line.strip())
            if match:
                found.append(match.group("page"))
        if len(found) >= count:
            return found[:count]
    return None


def pdf_text(pdf: bytes) -> str | None:
    """The PDF's text, page by page (form feeds), with pdftotext (poppler-utils) when it is installed."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-layout", "-", "-"], input=pdf, capture_output=True, check=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace")


def render_paginated(template: Path, context: dict, images: dict[str, tuple[bytes, int]] | None = None,
                     toc: str = "toc") -> tuple[bytes, bytes | None]:
    """A document whose 目录 (`context[toc]`: rows with `page`) shows its page numbers without F9.

    The fields are PAGEREFs that Word updates on opening (w:updateFields) and LibreOffice when it lays the document
    out; their cached result is what WPS and a Word that does not update show. When LibreOffice and pdftotext are
    installed, the document is converted to PDF once, the page of every entry is read from the PDF's 目录 and the
    document is rendered again with those numbers cached (the numbers do not move a line, so the PDF stays right).
    Returns the document and the PDF (None without LibreOffice)."""
    from budget_eval.platform.pdf import convert  # platform.pdf imports nothing from here

    first = render(template, context, images)
    entries = context.get(toc) or []
    converted = convert({"document.docx": first}, template.parent)
    pdf = converted.get("document.pdf")
    if pdf is None or not entries:
        return first, pdf
    text = pdf_text(pdf)
    numbers = toc_pages(text, len(entries)) if text else None
    if numbers is None:
        return first, pdf
    paged = {**context, toc: [{**entry, "page": page} for entry, page in zip(entries, numbers, strict=True)]}
    return render(template, paged, images), pdf


def pdf_lines(pdf: bytes) -> list[tuple[int, float, float, str]] | None:
    """Every text line of the PDF as (page, top, bottom, text), in points from the page's top (pdftotext
    -bbox-layout, poppler-utils), or None without pdftotext."""
    program = shutil.which("pdftotext")
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True,
                              timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    xml = done.stdout.decode("utf-8", "replace")
    lines = []
    for number, page in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", xml, re.DOTALL), 1):
        for top, bottom, body in re.findall(r'<line xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">(.*?)'
                                            r"</line>", page, re.DOTALL):
            text = "".join(re.findall(r"<word [^>]*>(.*?)</word>", body))
            lines.append((number, float(top), float(bottom), text))
    return lines


SLACK_PT = 6  # a line's text box ends this far above the bottom of its grid line, give or take


def imprint_place(lines: list[tuple[int, float, float, str]], first: str, last: str, text_top: float,
                  pitch: float, per_page: int) -> tuple[int, int] | None:
    """Where a 版记 goes so that it ends on the last line of an even page, from a layout that put it at the top of a
    page of its own (after one page break): (page breaks before it, blank lines before it). The text is laid out on
    the line grid (`per_page` lines of `pitch` from `text_top`)."""
    start = next((line for line in lines if line[3].startswith(first)), None)
    end = next((line for line in reversed(lines) if line[3].endswith(last)), None)
    if start is None or end is None or start[0] != end[0] or start[0] < 2:
        return None
    before = [line for line in lines if line[0] == start[0] - 1 and line[2] <= text_top + per_page * pitch + 2]
    content_page = start[0] - 1
    used = math.ceil((max(line[2] for line in before) - text_top - SLACK_PT) / pitch) if before else per_page
    lead = math.floor((start[1] - text_top) / pitch)  # the page break's own line above the 版记
    own = math.ceil((end[2] + 5 - text_top - SLACK_PT) / pitch) - lead  # the 版记's lines
    if content_page % 2 == 0 and used + own <= per_page:
        return 0, per_page - used - own
    breaks = 1 if content_page % 2 == 1 else 2  # onto the next even page
    return breaks, per_page - lead - own


def render_with_imprint(template: Path, context: dict, first: str, last: str) -> bytes:
    """A 公文 whose 版记 sits on the last lines of its last page, an even one (GB/T 9704 7.4.1): when LibreOffice
    and pdftotext are installed (PAGINATE_DOCUMENTS) the document is laid out once, and rendered again with
    `imprint_gap` blank lines before the 版记 and `imprint_breaks` page breaks when it must move to the next even
    page.
    Without them the 版记 follows the text."""
    from budget_eval.platform.layout import LINE_PITCH_TWIPS, LINES, PORTRAIT_MARGINS
    from budget_eval.platform.pdf import convert

    plain = {"imprint_gap": 0, "imprint_breaks": 0, **context}
    if not current_app.config.get("PAGINATE_DOCUMENTS", True):
        return render(template, plain)
    trial = render(template, {**plain, "imprint_breaks": 1})
    pdf = convert({"document.docx": trial}, template.parent).get("document.pdf")
    lines = pdf_lines(pdf) if pdf else None
    found = imprint_place(lines, first, last, PORTRAIT_MARGINS["top"] * 72 / 25.4, LINE_PITCH_TWIPS / 20,
                          LINES) if lines else None
    if found is None:
        return render(template, plain)
    breaks, gap = found
    return render(template, {**plain, "imprint_breaks": breaks, "imprint_gap": max(0, gap)})
