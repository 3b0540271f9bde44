"""Layering: no import cycles, features depend only where allowed, domain code is pure.

Every module under budget_eval/ (migrations excepted) is parsed with ast, imports inside functions and under
``if TYPE_CHECKING:`` included, and resolved to the module they load: ``from a.b import c`` is an edge to
``a.b.c`` when that is a module, else to ``a.b``. Function-level imports count for cycles on purpose: they are
how cycles get hidden. Imports under ``if TYPE_CHECKING:`` never run, so they do not count for cycles, but
they still count as dependencies between features (an annotation names the other feature's model all the same).
"""
from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_NAME = "budget_eval"
FEATURES = ("platform", "intake", "assessment", "meetings", "evaluation")

# Which features each feature may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "platform": set(),
    "intake": {"platform"},
    "assessment": {"platform", "intake"},
    "meetings": {"platform", "intake", "assessment"},
    "evaluation": {"platform"},
}

# The composition root: the top-level modules that assemble the features and so may import any of them. They are
# in no feature, and no feature imports them (platform, the kernel, least of all). Module (or package) -> why.
COMPOSITION_ROOT: dict[str, str] = {
    "budget_eval": "the package re-exports create_app (gunicorn's budget_eval:create_app(), flask --app budget_eval)",
    "budget_eval.app": "the app factory imports every feature's models and calls each feature's init_app",
    "budget_eval.cli": "the commands that touch every feature (seed-demo, rules check, template)",
    "budget_eval.demo": "demo seeding creates records of every feature",
    "budget_eval.rules_check": "the rules check validates every feature's rule files (schemes, assessment)",
    "budget_eval.report_templates": "lists every feature's Word templates for the build script and its test",
    "budget_eval.worker": "the job worker (huey_consumer budget_eval.worker.huey) builds the whole app with create_app",
}

# Known violations not yet moved (issue 9), each with where it belongs. Not exceptions: debt, listed so it is seen.
# test_pending_debt_is_still_real fails once an entry is gone, so the list only shrinks.
PENDING_IMPORTS: dict[tuple[str, str], str] = {
}
PENDING_CYCLES: dict[tuple[str, ...], str] = {
}
# Imports of modules that no longer exist (they fail when the function that holds them runs), with their owner.
PENDING_MISSING: dict[tuple[str, str], str] = {
}

DOMAIN_FORBIDDEN = {"flask", "flask_login", "flask_wtf", "wtforms", "sqlalchemy", "flask_sqlalchemy"}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (a budget_eval module, or a top-level third-party name)
    line: int
    type_only: bool  # under `if TYPE_CHECKING:`


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def collect_modules(root: Path, package: str = PACKAGE_NAME) -> dict[str, Path]:
    """All modules of the package by dotted name, migrations excepted."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.relative_to(root / package).parts:
            continue
        modules[module_name(path, root)] = path
    return modules


def _type_checking_test(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, type_only: bool = False):
    """Every Import/ImportFrom in the tree, anywhere (functions, classes, try blocks), with its TYPE_CHECKING flag."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, type_only
        elif isinstance(child, ast.If) and _type_checking_test(child):
            for stmt in child.body:
                yield from _walk_stmt(stmt, True)
            for stmt in child.orelse:
                yield from _walk_stmt(stmt, type_only)
        else:
            yield from _walk(child, type_only)


def _walk_stmt(stmt: ast.AST, type_only: bool):
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        yield stmt, type_only
    else:
        yield from _walk(stmt, type_only)


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module an import of `name` loads: itself (a name no module has is a broken import, kept as it is so
    that test_no_imports_of_missing_modules finds it); third-party: its top level."""
    if not name.startswith(PACKAGE_NAME + ".") and name != PACKAGE_NAME:
        return name.split(".")[0]
    return name


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node, type_only in _walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:  # relative: from the importing module's package
                base = name.split(".") if is_package(path) else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from pkg import sub` loads pkg.sub when that is a module; otherwise a name from pkg
            targets = [f"{prefix}.{alias.name}" if f"{prefix}.{alias.name}" in modules else prefix
                       for alias in node.names]
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved != name:
                found.append(Import(name, resolved, node.lineno, type_only))
    return found


def import_graph(modules: dict[str, Path]) -> list[Import]:
    return [imp for name, path in modules.items() for imp in imports_of(name, path, modules)]


def find_cycles(edges: list[Import]) -> list[list[str]]:
    """Each import cycle as a chain a -> b -> ... -> a: the shortest cycle through every module that is on one.

    Runtime imports only (TYPE_CHECKING imports never execute); function-level imports count.
    """
    graph: dict[str, set[str]] = {}
    for imp in edges:
        if not imp.type_only and imp.target.startswith(PACKAGE_NAME):
            graph.setdefault(imp.source, set()).add(imp.target)

    def shortest_path(start: str, goal: str) -> list[str] | None:
        previous = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nxt in sorted(graph.get(node, ())):
                if nxt == goal:
                    path = [nxt, node]
                    while previous[path[-1]] is not None:
                        path.append(previous[path[-1]])
                    return path[::-1]
                if nxt not in previous:
                    previous[nxt] = node
                    queue.append(nxt)
        return None

    cycles, seen = [], set()
    for node in sorted(graph):
        path = shortest_path(node, node)
        if path is None:
            continue
        ring = path[:-1]
        start = ring.index(min(ring))
        canonical = tuple(ring[start:] + ring[:start])
        if canonical not in seen:
            seen.add(canonical)
            cycles.append(list(canonical) + [canonical[0]])
    return cycles


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PACKAGE_NAME and parts[1] in FEATURES else None


def in_composition_root(module: str) -> bool:
    return module == PACKAGE_NAME or any(module == root or module.startswith(root + ".")
                                         for root in COMPOSITION_ROOT if root != PACKAGE_NAME)


def forbidden_feature_imports(edges: list[Import], modules: dict[str, Path], root: Path) -> list[str]:
    offenders = set()
    for imp in edges:
        source, target = feature_of(imp.source), feature_of(imp.target)
        if source is None or target is None or source == target or target in ALLOWED[source]:
            continue
        where = modules[imp.source].relative_to(root)
        offenders.add(f"{where}:{imp.line} {source} -> {target} ({imp.target})"
                         + (" [TYPE_CHECKING]" if imp.type_only else ""))
    return sorted(offenders)


def impure_domain_imports(edges: list[Import], modules: dict[str, Path], root: Path) -> list[str]:
    return sorted({f"{modules[imp.source].relative_to(root)}:{imp.line} imports {imp.target}"
                  for imp in edges
                   if "domain" in imp.source.split(".")[2:] and imp.target.split(".")[0] in DOMAIN_FORBIDDEN})


@pytest.fixture(scope="module")
def graph():
    modules = collect_modules(ROOT)
    return modules, import_graph(modules)


def test_the_graph_sees_the_whole_package(graph):
    modules, edges = graph
    assert "budget_eval.app" in modules and not any("migrations" in m for m in modules)
    assert len({imp.source for imp in edges}) > 0.8 * len(modules)


def _pending_cycle(cycle: list[str]) -> bool:
    return tuple(sorted(set(cycle))) in PENDING_CYCLES


def _pending_import(line: str) -> bool:
    return any(f" ({target})" in line and line.startswith(source.replace(".", "/") + ".py:")
               for source, target in PENDING_IMPORTS)


def test_no_import_cycles(graph):
    _, edges = graph
    cycles = [c for c in find_cycles(edges) if not _pending_cycle(c)]
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_features_import_only_what_they_may(graph):
    modules, edges = graph
    offenders = [line for line in forbidden_feature_imports(edges, modules, ROOT) if not _pending_import(line)]
    assert offenders == [], "forbidden imports between features:\n" + "\n".join(offenders)


def test_pending_debt_is_still_real(graph):
    """Each listed violation still occurs: when one is fixed, its entry goes."""
    modules, edges = graph
    cycles = {tuple(sorted(set(c))) for c in find_cycles(edges)}
    assert [c for c in PENDING_CYCLES if c not in cycles] == []
    lines = forbidden_feature_imports(edges, modules, ROOT)
    gone = [(source, target) for source, target in PENDING_IMPORTS
            if not any(f" ({target})" in line and line.startswith(source.replace(".", "/") + ".py:") for line in lines)]
    assert gone == []


def test_composition_root_exceptions_exist_and_are_used(graph):
    """Keep the root honest: every entry is a real top-level module, in no feature, that really needs to be there."""
    modules, edges = graph
    for root in COMPOSITION_ROOT:
        assert root in modules, f"{root} is listed as composition root but does not exist"
        assert feature_of(root) is None, f"{root} is in a feature: the root sits at the top of the package"
        if root == PACKAGE_NAME:
            continue
        mine = [imp for imp in edges if imp.source == root or imp.source.startswith(root + ".")]
        needs = {feature_of(imp.target) for imp in mine} - {None, "platform"}
        needs |= {imp.target for imp in mine if in_composition_root(imp.target) and not imp.target.startswith(root)}
        assert needs, f"{root} imports neither a feature nor the rest of the root: drop it from COMPOSITION_ROOT"


def test_every_module_is_in_a_feature_or_the_root(graph):
    modules, _ = graph
    assert [m for m in modules if feature_of(m) is None and not in_composition_root(m)] == []


def root_imports(edges: list[Import], modules: dict[str, Path], root: Path) -> list[str]:
    """Imports of the composition root from outside it: a feature that imports the root imports every feature."""
    return sorted(f"{modules[imp.source].relative_to(root)}:{imp.line} imports {imp.target}" for imp in edges
                  if in_composition_root(imp.target) and not in_composition_root(imp.source))


def test_no_feature_imports_the_composition_root(graph):
    modules, edges = graph
    offenders = root_imports(edges, modules, ROOT)
    assert offenders == [], "\n".join(offenders)


def test_platform_imports_no_feature(graph):
    """The kernel stands alone: no import of any feature, anywhere in platform (TYPE_CHECKING included)."""
    modules, edges = graph
    assert ALLOWED["platform"] == set()
    offenders = sorted(f"{modules[imp.source].relative_to(ROOT)}:{imp.line} imports {imp.target}" for imp in edges
                       if feature_of(imp.source) == "platform" and feature_of(imp.target) not in (None, "platform"))
    assert offenders == [], "\n".join(offenders)


def missing_imports(edges: list[Import], modules: dict[str, Path]) -> set[tuple[str, str]]:
    return {(imp.source, imp.target) for imp in edges
            if (imp.target == PACKAGE_NAME or imp.target.startswith(PACKAGE_NAME + ".")) and imp.target not in modules}


def test_no_imports_of_missing_modules(graph):
    """A function-level import of a module that moved fails only when it runs: find it here instead."""
    modules, edges = graph
    missing = missing_imports(edges, modules)
    assert sorted(missing - set(PENDING_MISSING)) == []
    assert sorted(set(PENDING_MISSING) - missing) == [], "fixed: drop it from PENDING_MISSING"


def test_domain_imports_neither_flask_nor_the_orm(graph):
    modules, edges = graph
    assert any(".domain." in m for m in modules)
    offenders = impure_domain_imports(edges, modules, ROOT)
    assert offenders == [], "\n".join(offenders)


# --- the checker checks: plant violations in a throwaway package and expect them found ----------------------


def plant(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for relative, text in files.items():
        path = tmp_path / PACKAGE_NAME / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for directory in [p for p in (tmp_path / PACKAGE_NAME).rglob("*") if p.is_dir()] + [tmp_path / PACKAGE_NAME]:
        (directory / "__init__.py").touch()
    return collect_modules(tmp_path)


def test_self_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    modules = plant(tmp_path, {
        "intake/a.py": "from budget_eval.intake.b import thing\n",
        "intake/b.py": "def thing():\n    from . import c\n    return c\n",
        "intake/c.py": "import budget_eval.intake.a\n",
        "intake/d.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from budget_eval.intake.e import X\n",
        "intake/e.py": "from budget_eval.intake.d import Y\n",
        "migrations/env.py": "import budget_eval.intake.a\n",
    })
    assert "budget_eval.migrations.env" not in modules
    cycles = find_cycles(import_graph(modules))
    assert cycles == [["budget_eval.intake.a", "budget_eval.intake.b", "budget_eval.intake.c",
                       "budget_eval.intake.a"]]  # d <-> e is TYPE_CHECKING only: not a runtime cycle


def test_self_check_finds_forbidden_feature_imports_and_impure_domain(tmp_path):
    modules = plant(tmp_path, {
        "evaluation/report.py": "def make():\n    from budget_eval.assessment.documents import x\n",
        "assessment/views.py": "from budget_eval.intake import models\nfrom budget_eval.platform.x import y\n",
        "intake/models.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from budget_eval.assessment.models import A\n",
        "platform/permissions.py": "from budget_eval.intake.domain.workflow import Status\n",
        "app.py": "from budget_eval.evaluation import views\n",
        "platform/kernel.py": "from budget_eval import app\n",
        "platform/x.py": "y = 1\n",
        "assessment/documents.py": "x = 1\n",
        "assessment/models.py": "A = 1\n",
        "intake/domain/workflow.py": "import flask\nfrom sqlalchemy.orm import Mapped\nStatus = 1\n",
        "intake/domain/pure.py": "from decimal import Decimal\n",
    })
    edges = import_graph(modules)
    assert forbidden_feature_imports(edges, modules, tmp_path) == [
        "budget_eval/evaluation/report.py:2 evaluation -> assessment (budget_eval.assessment.documents)",
        "budget_eval/intake/models.py:3 intake -> assessment (budget_eval.assessment.models) [TYPE_CHECKING]",
        "budget_eval/platform/permissions.py:1 platform -> intake (budget_eval.intake.domain.workflow)",
    ]  # assessment -> intake is allowed; app.py is the composition root
    assert root_imports(edges, modules, tmp_path) == ["budget_eval/platform/kernel.py:1 imports budget_eval.app"]
    assert impure_domain_imports(edges, modules, tmp_path) == [
        "budget_eval/intake/domain/workflow.py:1 imports flask",
        "budget_eval/intake/domain/workflow.py:2 imports sqlalchemy",
    ]
