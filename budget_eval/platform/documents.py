"""Render Word templates from report_templates/ with docxtpl, escaping every value."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from docx.shared import Mm
from flask import current_app
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

BEIJING = timedelta(hours=8)


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
    if isinstance(value, Image):
        return InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _images(v, document) for k, v in value.items()}
    if isinstance(value, list):
        return [_images(v, document) for v in value]
    return value


_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile(r"[\t\a\n\f]")


class Template(DocxTemplate):
    """docxtpl with two passes made proportional to the work they do, for meeting packs of hundreds of reports:
    line breaks and tabs are resolved only in the paragraphs that hold one, and tables are not re-gridded (the
    templates never add columns in a loop)."""

    def resolve_listing(self, xml):
        if not _LISTING.search(xml):
            return xml
        resolve = super().resolve_listing
        return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)

    def fix_tables(self, xml):
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True, huge_tree=True))


def render(template: Path, context: dict, images: dict[str, tuple[bytes, int]] | None = None) -> bytes:
    """Fill a template; `images` maps a variable to (PNG bytes, width in mm). autoescape keeps `& < >` intact.
    A missing or unreadable template raises FileNotFoundError/PermissionError (a Chinese page, logged: errors.py)."""
    with open(template, "rb"):  # python-docx would say only "package not found"
        pass
    document = Template(str(template))
    context = _images(clean(context), document)
    for name, (png, width) in (images or {}).items():
        context[name] = InlineImage(document, io.BytesIO(png), width=Mm(width))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
