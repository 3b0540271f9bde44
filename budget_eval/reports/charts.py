"""Charts for reports: a radar of the five dimensions' score rates, with Chinese labels."""
from __future__ import annotations

import io
import math
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no display on servers
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The first installed CJK font; without one, Chinese labels would come out as boxes."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def radar_png(labels: list[str], rates: list[float], compare: list[float] | None = None,
              names: tuple[str, str] = ("评估组", "部门自评")) -> bytes:
    """A radar chart of rates (0–100) per dimension; optionally a second series to compare."""
    font = cjk_font()
    style = {"font.sans-serif": [font] if font else [], "font.family": "sans-serif", "axes.unicode_minus": False}
    angles = [n / len(labels) * 2 * math.pi for n in range(len(labels))]
    with plt.rc_context(style):
        fig, ax = plt.subplots(figsize=(4.8, 4.2), subplot_kw={"polar": True}, dpi=150)
        try:
            for series, name, colour in ((rates, names[0], "#0b4f8a"), (compare, names[1], "#d97706")):
                if series is None:
                    continue
                closed = list(series) + [series[0]]
                ax.plot(angles + angles[:1], closed, color=colour, linewidth=2, label=name)
                ax.fill(angles + angles[:1], closed, color=colour, alpha=0.15)
            ax.set_theta_offset(math.pi / 2)  # first dimension at the top, then clockwise
            ax.set_theta_direction(-1)
            ax.set_xticks(angles)
            ax.set_xticklabels(labels, fontsize=10)
            ax.set_ylim(0, 100)
            ax.set_yticks([20, 40, 60, 80, 100])
            ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=7, color="#667085")
            if compare is not None:
                ax.legend(loc="upper right", bbox_to_anchor=(1.25, 1.1), fontsize=8)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", bbox_inches="tight")
            return buffer.getvalue()
        finally:
            plt.close(fig)
