"""Every system tool a test (or the code under test) needs, and the Debian package that provides it.

`require_tool(name)` is the only way a test asks for one: it skips on a developer's machine that lacks it and
fails in the full test command (BUDGET_EVAL_REQUIRE_SERVICES=1). tests/unit/test_tools.py reads the code: every
tool a test or the product calls must be named here, and every package named here must be installed by
scripts/test.sh, so a missing install step fails on the developer's machine, not on a new one.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("BUDGET_EVAL_REQUIRE_SERVICES") == "1"
CHROMIUM = "/usr/lib/chromium/chromium"
# The npm packages the browser tests inject into pages (never served by the app): declared with exact versions
# and a lockfile in tests/browser/assets/, installed there by scripts/test.sh with `npm ci` (node_modules is
# git-ignored).
NPM_ASSETS = Path(__file__).resolve().parent / "browser" / "assets"
AXE_JS = str(NPM_ASSETS / "node_modules" / "axe-core" / "axe.min.js")


@dataclass(frozen=True)
class Tool:
    package: str  # the Debian package scripts/test.sh installs for it (for an npm asset: the npm client's)
    path: str | None = None  # an executable at a fixed path (else found on PATH under the tool's name)
    npm: str | None = None  # an npm package in tests/browser/assets/package.json, installed with `npm ci`


TOOLS: dict[str, Tool] = {
    "soffice": Tool("libreoffice-writer-nogui"),
    "pdfinfo": Tool("poppler-utils"),
    "pdftoppm": Tool("poppler-utils"),
    "pdftotext": Tool("poppler-utils"),
    "fc-match": Tool("fontconfig"),
    "chromium": Tool("chromium", path=CHROMIUM),
    "cjk-font": Tool("fonts-noto-cjk"),  # not an executable: a font fontconfig finds
    "pg_ctlcluster": Tool("postgresql"),
    "redis-server": Tool("redis-server"),  # the job queue's production broker (tests/web/test_job_workers.py)
    "redis-cli": Tool("redis-tools"),  # scripts/test.sh waits for Redis with it
    "dpkg": Tool("dpkg"),  # tests/unit/test_tools.py asks which package owns a tool
    "apt-cache": Tool("apt"),
    "npm": Tool("npm"),  # scripts/test.sh installs the browser tests' npm assets with it
    "node": Tool("nodejs"),  # npm runs on it
    # not an executable: the accessibility rules engine the browser tests inject into each page
    "axe-core": Tool("npm", path=AXE_JS, npm="axe-core"),
}


def tool_available(name: str) -> bool:
    tool = TOOLS[name]
    if name == "cjk-font":
        from budget_eval.assessment.documents.charts import cjk_font

        return cjk_font() is not None
    if tool.path is not None:
        return Path(tool.path).exists()
    return shutil.which(name) is not None


def require_tool(*names: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in the full test command."""
    for name in names:
        if not tool_available(name):
            what = f"{name} (Debian package {TOOLS[name].package})"
            if REQUIRE_SERVICES:
                pytest.fail(f"{what} is missing but BUDGET_EVAL_REQUIRE_SERVICES=1")
            pytest.skip(f"{what} not installed (run scripts/test.sh)")
