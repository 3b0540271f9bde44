"""Render Word templates from report_templates/ with docxtpl, escaping every value."""
from __future__ import annotations

import io
import re
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

# characters XML 1.0 forbids, and \a \f which docxtpl would turn into paragraphs and page breaks
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(value):
    """Strip characters that cannot appear in a Word document from user text (recursively)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return value


def render(template: Path, context: dict, images: dict[str, tuple[bytes, int]] | None = None) -> bytes:
    """Fill a template; `images` maps a variable to (PNG bytes, width in mm). autoescape keeps `& < >` intact."""
    document = DocxTemplate(str(template))
    context = clean(context)
    for name, (png, width) in (images or {}).items():
        context[name] = InlineImage(document, io.BytesIO(png), width=Mm(width))
    document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
