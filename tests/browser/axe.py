"""axe-core in the browser tests: injected from the test harness (never served by the app), run against WCAG 2.0
and 2.1 level A and AA.

The app's Content-Security-Policy (script-src 'self') stays as it is: axe's source is evaluated through the
DevTools protocol (`page.evaluate`), which a page's CSP does not govern, so nothing is loosened for the test.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from tests.tools import AXE_JS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (axe.getRules also brings td-has-header, still marked experimental: it holds, so it stays)
# and axe's best-practice rules for what issue 27 asks of every page beyond those levels: one h1, the landmarks
# (header, main, footer, each once and at the top level), all content inside them, a skip link that works
STRUCTURE_RULES = ["page-has-heading-one", "landmark-one-main", "region", "skip-link", "landmark-no-duplicate-banner",
                   "landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main", "landmark-unique",
                   "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level", "landmark-main-is-top-level"]

# Rules of those levels that cannot apply here, each with its reason; every other rule runs on every page. None
# so far: each rule of WCAG 2.0/2.1 A/AA that axe has applies to these pages (no video, audio, frames or
# animation here simply means those rules find nothing to check).
NOT_APPLICABLE: dict[str, str] = {}


@cache
def _source() -> str:
    return Path(AXE_JS).read_text(encoding="utf-8")


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now (WCAG 2.0/2.1 A and AA, and STRUCTURE_RULES): id, impact, help
    and the elements (selector, summary)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    return page.evaluate(
        """async ([tags, extra, off]) => {
            const ids = axe.getRules(tags).map((r) => r.ruleId).concat(extra).filter((id) => !off.includes(id));
            const result = await axe.run(document, {runOnly: {type: "rule", values: ids},
                                                   resultTypes: ["violations"]});
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                                             summary: n.failureSummary})),
            }));
        }""",
        [WCAG_TAGS, STRUCTURE_RULES, sorted(NOT_APPLICABLE)],
    )


def describe(where: str, found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
        for n in v["nodes"][:6]:
            lines.append(f"    {n['target']}  {n['html']}")
            lines.append("      " + (n["summary"] or "").replace("\n", "\n      "))
        if len(v["nodes"]) > 6:
            lines.append(f"    … and {len(v['nodes']) - 6} more")
    return "\n".join(lines)
