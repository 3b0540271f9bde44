"""Statuses are the lifecycles' business: read every template and module and look for status strings.

(a) No template compares `.status`, `.decision` or `.feedback_status` (or a variable holding one) with a quoted
    literal, filters on one with a literal (`selectattr('status', 'equalto', …)`), or puts a quoted state value
    in the same tag as such an attribute (a label table like `{'open': '评估中'}[x.status]`). Templates ask the
    lifecycle instead: the actions the view passes, `state_label`, or a predicate the model defines on the enum.
(b) No Python module compares a status attribute with a string equal to a state value of any Lifecycle; the
    enum members are used instead.
(c) One writer per status column: outside budget_eval/platform/lifecycle.py nothing assigns `.status`,
    `.decision` or `.feedback_status`, passes them to `update(…).values(…)`, or gives them to a constructor,
    except the few cases listed in WRITERS, each with its reason.
"""
import ast
import re
from pathlib import Path

from jinja2 import Environment, nodes

from budget_eval.assessment.domain import states as assessment_states
from budget_eval.evaluation.domain import comment_lifecycles, states as evaluation_states
from budget_eval.intake.domain import workflow
from budget_eval.meetings.domain import states as meeting_states
from budget_eval.platform.domain.lifecycle import Lifecycle

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "budget_eval"
TEMPLATES = ROOT / "templates"
ATTRIBUTES = frozenset({"status", "decision", "feedback_status"})
DECLARATIONS = (assessment_states, evaluation_states, comment_lifecycles, workflow, meeting_states)
LIFECYCLES = [v for module in DECLARATIONS for v in vars(module).values() if isinstance(v, Lifecycle)]
STATES = frozenset(s.value for lifecycle in LIFECYCLES for s in lifecycle.states)

# Modules not read by (b), each for its reason
NOT_READ = {
    "migrations": "history, frozen on purpose; data migrations speak the stored values",
    "assessment/domain/states.py": "declares the lifecycles: the state values are defined here",
    "evaluation/domain/states.py": "declares the lifecycles: the state values are defined here",
    "evaluation/domain/comment_lifecycles.py": "declares the lifecycles: the state values are defined here",
    "intake/domain/workflow.py": "declares the lifecycles: the state values are defined here",
    "meetings/domain/states.py": "declares the lifecycles: the state values are defined here",
    "platform/domain/lifecycle.py": "the lifecycle machinery itself",
    "demo/__init__.py": "demo data: sample records as stored",
    "demo/data.py": "demo data: sample records as stored",
    "demo/review.py": "demo data: sample records as stored",
}
THE_WRITER = "platform/lifecycle.py"
# Writes of a status column outside the one writer: (module, function, attribute) → reason
WRITERS = {
    ("evaluation/feedback.py", "confirm_all", "feedback_status"):
        "反馈确认 in bulk: one UPDATE … WHERE feedback_status = pending for the whole year, the target taken from "
        "FEEDBACK.check; one history line for the batch (a per-row apply would lock and log thousands of rows)",
    ("evaluation/operations.py", "decide_appeal", "decision"):
        "Appeal.decision is the office's free-text 处理意见, not a lifecycle column (the appeal's state is "
        "Appeal.status, written by apply in the same function)",
    ("intake/splits.py", "decide", "decision"):
        "SplitFlag.decision (疑似拆分, issue 26) is written once, undecided → together / apart, by one compare-and-set "
        "UPDATE … WHERE decision IS NULL (a second decision at once finds it decided); no further transitions",
    ("assessment/panels.py", "open_round", "status"):
        "a new round carries over the reviewers who already declared no conflict in the round before: their new "
        "sheets are created in ACCEPTED (the declaration was made and recorded once, in the earlier round)",
}


def relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def modules(skip: dict[str, str]) -> list[Path]:
    def skipped(path: Path) -> bool:
        where = relative(path)
        return where in skip or any(part in skip for part in path.relative_to(PACKAGE).parts)
    return [p for p in sorted(PACKAGE.rglob("*.py")) if not skipped(p)]


# (a) templates ---------------------------------------------------------------------------------------------

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
QUOTED = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
ATTRIBUTE_TEXT = re.compile(r"\.(status|decision|feedback_status)\b|['\"](status|decision|feedback_status)['\"]")


def is_status(node: nodes.Node, holders: set[str]) -> bool:
    return (isinstance(node, nodes.Getattr) and node.attr in ATTRIBUTES
            or isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and node.arg.value in ATTRIBUTES
            or isinstance(node, nodes.Name) and node.name in holders)


def literal(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Const):
        return isinstance(node.value, str)
    if isinstance(node, nodes.Tuple | nodes.List):
        return any(literal(item) for item in node.items)
    return False


def template_offences(source: str, name: str = "<template>") -> list[str]:
    found = []
    tree = Environment(extensions=["jinja2.ext.do"]).parse(source)
    holders = {a.target.name for a in tree.find_all(nodes.Assign)
               if isinstance(a.target, nodes.Name) and is_status(a.node, set())}
    for compare in tree.find_all(nodes.Compare):
        operands = [compare.expr] + [op.expr for op in compare.ops]
        if any(is_status(o, holders) for o in operands) and any(literal(o) for o in operands):
            found.append(f"{name}:{compare.lineno} 与字符串比较状态")
    for call in list(tree.find_all(nodes.Filter)):
        if call.name in ("selectattr", "rejectattr") and call.args and isinstance(call.args[0], nodes.Const) \
                and call.args[0].value in ATTRIBUTES and len(call.args) > 1:
            found.append(f"{name}:{call.lineno} 按状态字符串筛选")
    for tag in TAG.finditer(source):
        text = tag.group(0)
        values = {a or b for a, b in QUOTED.findall(text)} & STATES
        if ATTRIBUTE_TEXT.search(text) and values:
            line = source.count("\n", 0, tag.start()) + 1
            found.append(f"{name}:{line} 状态值 {sorted(values)} 与状态字段同处一处")
    return found


def test_no_template_compares_a_status_with_a_string():
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        offences += template_offences(path.read_text(encoding="utf-8"), str(path.relative_to(TEMPLATES)))
    assert offences == []


def test_the_template_scan_finds_what_it_looks_for():
    planted = ("{% if round_.status == 'open' %}x{% endif %}\n"
               "{% set s = member.status %}{% if s in ('assigned', 'accepted') %}y{% endif %}\n"
               "{{ rounds|selectattr('status', 'equalto', 'concluded')|list }}\n"
               "{{ {'filed': '待处理'}[a.status] }}\n"
               "{% if item.decision != \"approved\" %}z{% endif %}\n"
               "{{ r.feedback_status == 'pending' }}\n")
    assert len(template_offences(planted)) >= 6
    assert template_offences("{% if round_.is_open %}{{ m.state_label }}{% endif %}{% if 'declare' in actions %}"
                             "{% endif %}{{ proposal.status|status_label }}") == []


# (b) Python: comparisons ---------------------------------------------------------------------------------------

def status_operand(node: ast.AST, holders: set[str]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in ATTRIBUTES
            or isinstance(node, ast.Name) and node.id in holders)


def state_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in STATES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(state_literal(e) for e in node.elts)
    return False


def comparison_offences(code: str, name: str = "<module>") -> list[str]:
    tree = ast.parse(code)
    holders = {t.id for a in ast.walk(tree) if isinstance(a, ast.Assign) and status_operand(a.value, set())
               for t in a.targets if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(status_operand(o, holders) for o in operands) and any(state_literal(o) for o in operands):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Call):  # filter_by(status="open"), values(status="done") …
            found += [f"{name}:{node.lineno} {ast.unparse(node)[:80]}" for k in node.keywords
                      if k.arg in ATTRIBUTES and state_literal(k.value)]
    return found


def test_no_module_compares_a_status_with_a_state_string():
    assert {"open", "submitted", "filed", "pending", "decided"} <= STATES
    offences = []
    for path in modules(NOT_READ):
        offences += comparison_offences(path.read_text(encoding="utf-8"), relative(path))
    assert offences == []


def test_the_comparison_scan_finds_what_it_looks_for():
    planted = ('if round_.status != "open": pass\n'
               'q = select(A).where(A.status == "submitted")\n'
               'ok = member.status in ("accepted", "submitted")\n'
               'state = item.decision\nif state == "approved": pass\n'
               'rows = query.filter_by(feedback_status="pending")\n')
    assert len(comparison_offences(planted)) == 5
    assert comparison_offences('if round_.status != RoundStatus.OPEN: pass\nkind = "open"\n') == []


# (c) one writer per status column ------------------------------------------------------------------------------

def writes(code: str) -> list[tuple[str, str, int]]:
    """(function, attribute, line) of every write of a status column in this code."""
    tree = ast.parse(code)
    found = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for t in ast.walk(target):
                if isinstance(t, ast.Attribute) and t.attr in ATTRIBUTES and isinstance(t.ctx, ast.Store):
                    found.append((function, t.attr, node.lineno))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            writer = name in ("values", "setattr") or name[:1].isupper()  # update(M).values(…), M(status=…)
            if writer:
                found.extend((function, k.arg, node.lineno) for k in node.keywords if k.arg in ATTRIBUTES)
                for arg in node.args:
                    if isinstance(arg, ast.Dict):
                        found.extend((function, k.value, node.lineno) for k in arg.keys
                                     if isinstance(k, ast.Constant) and k.value in ATTRIBUTES)
                    if name == "setattr" and isinstance(arg, ast.Constant) and arg.value in ATTRIBUTES:
                        found.append((function, arg.value, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_one_writer_per_status_column():
    offences, used = [], set()
    for path in modules({"migrations": "", THE_WRITER: ""} | {k: v for k, v in NOT_READ.items() if "demo" in k}):
        where = relative(path)
        for function, attribute, line in writes(path.read_text(encoding="utf-8")):
            key = (where, function, attribute)
            if key in WRITERS:
                used.add(key)
            else:
                offences.append(f"{where}:{line} {function} 写入 {attribute}")
    assert offences == []
    assert used == set(WRITERS), f"exceptions no longer needed: {set(WRITERS) - used}"


def test_the_writer_scan_finds_what_it_looks_for():
    planted = ("def a(r):\n    r.status = 'open'\n"
               "def b(r):\n    r.decision, x = None, 1\n"
               "def c():\n    db.session.execute(update(M).values(feedback_status='confirmed'))\n"
               "def d():\n    return Assessment(round=1, status=RoundStatus.OPEN)\n"
               "def e(r):\n    setattr(r, 'status', 'x')\n"
               "def f():\n    update(M).values({'status': 'x'})\n")
    assert [(f, a) for f, a, _ in writes(planted)] == [("a", "status"), ("b", "decision"), ("c", "feedback_status"),
                                                       ("d", "status"), ("e", "status"), ("f", "status")]
    assert writes("def g(r):\n    x = r.status\n    q = select(M).filter_by(status=x)\n") == []
