"""Multi-page PDF materials for the demo (and tests): text pages drawn with Pillow in an installed CJK font,
saved as one PDF, so a reviewer can open page 3 inside the scoring page and cite it."""
from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw

from budget_eval.assessment.documents.charts import _font

PAGE = (827, 1169)  # A4 at 100 dpi
MARGIN = 80


def pdf_document(title: str, pages: list[list[str]]) -> bytes:
    """A PDF of `pages`, each a list of paragraphs; the title heads page 1, each page carries its number."""
    images = []
    for number, paragraphs in enumerate(pages, 1):
        image = Image.new("RGB", PAGE, "white")
        draw = ImageDraw.Draw(image)
        y = MARGIN
        if number == 1:
            draw.text((PAGE[0] // 2, y), title, fill="black", font=_font(30), anchor="ma")
            y += 70
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, 30) or [""]:
                draw.text((MARGIN, y), line, fill="black", font=_font(21))
                y += 34
            y += 12
        draw.text((PAGE[0] // 2, PAGE[1] - 60), f"— {number} —", fill="black", font=_font(18), anchor="ma")
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100.0)
    return buffer.getvalue()
