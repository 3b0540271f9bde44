"""Leaders' scores imported from a sheet (被评单位, 领导, 得分): checked row by row, stored one per leader per unit,
audited with the file name and counts (run as a job: leader_job)."""
from __future__ import annotations

from decimal import Decimal

from budget_eval.evaluation.domain.states import YearStatus
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.operations import EvaluationError, set_leader_score, units_of
from budget_eval.platform.audit import audit
from budget_eval.platform.extensions import db
from budget_eval.platform.imports import set_aside_note


def import_leader_scores(year: EvaluationYear, source, filename: str, user):
    """Leaders' scores from a sheet with 被评单位, 领导, 得分 (0–100); audited with the file name and counts.

    Returns (imported, rejected rows, rows set aside: source row → 合计行 / 空行 / 说明行).
    """
    from budget_eval.evaluation.survey_import import COL_REASON, department_lookup, read_table_of, with_row_numbers

    if year.status != YearStatus.OPEN:
        raise EvaluationError("结果已公布，不能再导入领导评分")
    table = read_table_of("leader_scores", source, filename)
    units = {u.department_id: u for u in units_of(year)}
    lookup = department_lookup([(u.department_id, u.department.name) for u in units.values()])
    reasons, imported, seen = [], 0, set()
    for record in table[["被评单位", "领导", "得分"]].fillna("").astype(str).to_dict("records"):
        name, leader, text = (record[c].strip() for c in ("被评单位", "领导", "得分"))
        leader = leader[:64]
        department = lookup.get(name)
        try:
            score = Decimal(text)
            valid = score.is_finite() and 0 <= score <= 100
        except ArithmeticError:
            valid = False
        reason = (f"被评单位“{name}”不是本年度考评单位" if department is None else
                  "请填写领导" if not leader else
                  f"领导“{leader}”对该单位的评分在文件中重复（以前一条为准）" if (department, leader) in seen else
                  "" if valid else f"得分“{text}”应为0至100的数字")
        reasons.append(reason)
        if not reason:
            seen.add((department, leader))
            set_leader_score(units[department], leader, score.quantize(Decimal("0.01")))
            imported += 1
    rejected = with_row_numbers(table[[bool(r) for r in reasons]])
    rejected[COL_REASON] = [r for r in reasons if r]
    skipped = dict(table.attrs.get("skipped", {}))
    audit("import", f"{year.year}年度考评", f"导入领导评分“{filename}”：共 {len(table)} 行，导入 {imported} 行，"
          f"拒收 {len(rejected)} 行{set_aside_note(skipped)}", user)
    db.session.commit()
    return imported, rejected, skipped
