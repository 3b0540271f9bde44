"""Every system tool the tests or the product call is declared in tests/tools.py with its Debian package, and
scripts/test.sh installs every such package: a missing install step fails here, not on a new machine."""
from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tools import NPM_ASSETS, TOOLS, tool_available

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("budget_eval", "tests", "benchmarks") for p in (ROOT / d).rglob("*.py")]


def declared_packages() -> set[str]:
    script = (ROOT / "scripts" / "test.sh").read_text()
    match = re.search(r"^TEST_PACKAGES=\(([^)]*)\)", script, re.M)
    assert match, "scripts/test.sh declares TEST_PACKAGES=(…) and installs them"
    assert 'install_debian_packages "${TEST_PACKAGES[@]}"' in script
    return set(match.group(1).split())


def called_tools() -> dict[str, set[str]]:
    """Tool names the code calls: shutil.which("x"), require_tool("x", …), subprocess.*(["x", …]) and absolute
    executable paths ("/usr/bin/x", "/usr/lib/…")."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(), filename=str(path))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Call):
                func = ast.unparse(node.func)
                literal_args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if func in ("shutil.which", "which", "require_tool", "tool_available"):
                    names += literal_args
                elif func.startswith("subprocess.") and node.args and isinstance(node.args[0], ast.List):
                    first = node.args[0].elts[0] if node.args[0].elts else None
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        names.append(first.value)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"/usr/(s?bin|lib)/[\w./-]+", node.value) and not node.value.endswith((".ttc", ".ttf", ".otf")):
                    names.append(Path(node.value).name)
            for name in names:
                found.setdefault(name, set()).add(where)
    return found


def test_every_tool_called_is_declared_with_its_package():
    undeclared = {name: sorted(where) for name, where in called_tools().items()
                  if name not in TOOLS and name not in ("libreoffice",)}  # libreoffice: soffice's other name
    assert not undeclared, f"declare these in tests/tools.py with their Debian package: {undeclared}"


def test_test_command_installs_every_declared_package():
    installed = declared_packages()
    missing = {name: tool.package for name, tool in TOOLS.items() if tool.package not in installed}
    assert not missing, f"scripts/test.sh does not install: {missing}"


@pytest.mark.parametrize("name", sorted(n for n, t in TOOLS.items() if n != "cjk-font" and t.npm is None))
def test_each_tool_comes_from_its_declared_package(name):
    """Where a tool is installed, dpkg says it belongs to the package declared for it (keeps the map honest)."""
    if not tool_available(name) or shutil.which("dpkg") is None:
        pytest.skip(f"{name} not installed here")
    path = TOOLS[name].path or shutil.which(name)
    real = str(Path(path).resolve())
    owners = subprocess.run(["dpkg", "-S", real], capture_output=True, text=True)
    if owners.returncode != 0:  # /usr/bin/x → /etc/alternatives → …: ask for the name on PATH
        owners = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    packages = {line.split(":")[0].strip() for line in owners.stdout.splitlines()}
    package = TOOLS[name].package
    if package not in packages:
        # a metapackage (libreoffice-writer-nogui → libreoffice-core-nogui …): the owner must be among its deps
        depends = subprocess.run(["apt-cache", "depends", "--recurse", "--important", package],
                                 capture_output=True, text=True).stdout
        assert packages & set(re.findall(r"^\s*(?:\|?Depends: )?<?([\w.+-]+)>?$", depends, re.M)), \
            f"{name} ({real}) belongs to {packages}, not to {package}"


def test_npm_assets_are_pinned_and_installed_by_the_test_command():
    """An npm asset (axe-core) has an exact version in package.json, the same in the lockfile (with its
    integrity hash), and scripts/test.sh installs that folder with `npm ci` after the Debian packages."""
    import json

    manifest = json.loads((NPM_ASSETS / "package.json").read_text())
    lock = json.loads((NPM_ASSETS / "package-lock.json").read_text())
    wanted = {t.npm for t in TOOLS.values() if t.npm}
    assert wanted and wanted <= set(manifest["dependencies"])
    for name in wanted:
        version = manifest["dependencies"][name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name}: pin an exact version, not {version!r}"
        locked = lock["packages"][f"node_modules/{name}"]
        assert locked["version"] == version and locked["integrity"].startswith("sha512-")
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert re.search(r"npm ci\b.*tests/browser/assets|NPM_ASSETS=tests/browser/assets", script)
    assert script.index('wait "$apt_pid"') < script.index("install_npm_assets\n")
    assert "node_modules/" in (ROOT / ".gitignore").read_text().splitlines()
