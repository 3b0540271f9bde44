"""Charts for reports: a radar of the five dimensions' score rates, with Chinese labels.

Drawn with Pillow at twice the size and scaled down for smooth edges: about 10 ms a chart, against about
60 ms with matplotlib, which matters when a meeting pack holds 200 reports.
"""
from __future__ import annotations

import io
import math
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow loads with the first chart, not at start-up (issue 22)
    from PIL import ImageFont

SCALE = 2  # drawn at twice the size, then scaled down (anti-aliasing)
# printed 120 mm wide (services/reports.RADAR_WIDTH_MM): 5 px a millimetre, so 21 px labels are about 12 pt
SIZE = (600, 466)
CENTRE = (300, 248)
RADIUS = 124
GRID = (20, 40, 60, 80, 100)
INK, GRID_INK, MUTED = (31, 41, 51), (200, 207, 216), (102, 112, 133)
SERIES = ((11, 79, 138), (217, 119, 6))  # panel (blue), self-assessment (amber)
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")
FALLBACK_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)


@lru_cache(maxsize=1)
def cjk_font_file() -> tuple[str, int] | None:
    """The file (and collection index) of an installed CJK font; without one Chinese shows as boxes."""
    candidates = []
    for family in CJK_FAMILIES:
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, timeout=5)
            candidates.append(found.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            break
    candidates += list(FALLBACK_FILES)
    from PIL import ImageFont
    for path in candidates:
        if not path or not Path(path).exists():
            continue
        for index in range(8):  # pick the Simplified Chinese face of a collection
            try:
                font = ImageFont.truetype(path, 12, index=index)
            except OSError:
                break
            name = " ".join(font.getname())
            if any(family in name for family in CJK_FAMILIES):
                return path, index
    return None


def cjk_font() -> str | None:
    from PIL import ImageFont

    found = cjk_font_file()
    return None if found is None else " ".join(ImageFont.truetype(found[0], 12, index=found[1]).getname())


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    found = cjk_font_file()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def _point(angle: float, radius: float) -> tuple[float, float]:
    """Polar to canvas coordinates, the first axis at the top, going clockwise."""
    x, y = CENTRE
    return (SCALE * (x + radius * math.sin(angle)), SCALE * (y - radius * math.cos(angle)))


def radar_png(labels: list[str], rates: list[float], compare: list[float] | None = None,
              names: tuple[str, str] = ("评估组", "部门自评")) -> bytes:
    """A radar chart of rates (0–100) per dimension; optionally a second series to compare."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (SIZE[0] * SCALE, SIZE[1] * SCALE), "white")  # RGB: RGBA fills blend
    draw = ImageDraw.Draw(image, "RGBA")
    angles = [2 * math.pi * n / len(labels) for n in range(len(labels))]
    for level in GRID:
        draw.polygon([_point(a, RADIUS * level / 100) for a in angles], outline=GRID_INK, width=SCALE)
        x, y = _point(0, RADIUS * level / 100)
        draw.text((x + 4 * SCALE, y), str(level), fill=MUTED, font=_font(15 * SCALE), anchor="lm")
    for angle, label in zip(angles, labels, strict=True):
        draw.line([_point(angle, 0), _point(angle, RADIUS)], fill=GRID_INK, width=SCALE)
        x, y = _point(angle, RADIUS + 18)
        anchor = "mm" if abs(math.sin(angle)) < 0.2 else ("lm" if math.sin(angle) > 0 else "rm")
        draw.text((x, y), label, fill=INK, font=_font(21 * SCALE), anchor=anchor)
    for series, colour in zip((rates, compare), SERIES):
        if series is None:
            continue
        points = [_point(a, RADIUS * max(0.0, min(100.0, r)) / 100) for a, r in zip(angles, series, strict=True)]
        draw.polygon(points, fill=(*colour, 40))
        draw.line(points + points[:1], fill=colour, width=3 * SCALE, joint="curve")
    if compare is not None:
        for row, (name, colour) in enumerate(zip(names, SERIES)):
            y = SCALE * (15 + row * 24)
            draw.line([(SCALE * 465, y), (SCALE * 495, y)], fill=colour, width=3 * SCALE)
            draw.text((SCALE * 501, y), name, fill=INK, font=_font(18 * SCALE), anchor="lm")
    out = io.BytesIO()
    image.reduce(SCALE).save(out, format="PNG", compress_level=1)  # fast: a pack holds hundreds of charts
    return out.getvalue()
