"""Report variants (issue 10): what each audience's copy leaves out. The variant is chosen by
budget_eval.assessment.domain.visibility from rules/reports.yaml; the context is built in context.py."""
from __future__ import annotations

from budget_eval.assessment.documents.context import FINANCE_REVIEWER

VARIANT_LABELS = {"full": "完整版", "panel": "汇总版"}


def redact_for_variant(context: dict, variant: str) -> dict:
    """The report context for a variant. 'full' is the context as built; 'panel' keeps the panel's
    aggregated scores and the opinions but no reviewer's name, unit or total: each reviewer becomes
    专家1, 专家2 … (a finance reviewer 财政评审人员1 …) wherever their name appears in the context."""
    if variant == "full":
        return {**context, "variant": variant, "variant_label": VARIANT_LABELS[variant]}
    if variant != "panel":
        raise ValueError(f"unknown report variant {variant!r}")
    labels, counts = {}, {FINANCE_REVIEWER: 0, "专家": 0}
    for r in context.get("reviewers", []):  # finance reviewers are 财政评审人员1 …, never 专家N
        noun = FINANCE_REVIEWER if r.get("role") == FINANCE_REVIEWER else "专家"
        counts[noun] += 1
        labels[r["name"]] = f"{noun}{counts[noun]}"
    # of each reviewer only the opinion stays; every other detail (unit, 职称, role, total, …) becomes "—"
    reviewers = [{**{k: "—" for k in r}, "name": labels[r["name"]], "role": "评估组成员", "unit": "", "title": "",
                  "opinion": _replace_names(r.get("opinion", ""), labels),
                  "opinion_paras": _replace_names(r.get("opinion_paras") or [], labels)}
                 for r in context.get("reviewers", [])]
    redacted = _replace_names({k: v for k, v in context.items() if k != "reviewers"}, labels)
    # the panel's problems and suggestions carry no attribution in this copy (issue 20)
    for key in ("problems", "suggestions"):
        if f"{key}_anonymous" in redacted:
            redacted[key] = redacted[f"{key}_anonymous"]
            redacted[f"abstract_{key}"] = [t for t in redacted[key] if not t.startswith("评估组未")]
    return {**redacted, "reviewers": reviewers, "reviewer_names": "、".join(labels.values()),
            "variant": variant, "variant_label": VARIANT_LABELS[variant]}


def _replace_names(value, labels: dict[str, str]):
    """Every string in a nested context with each reviewer's name replaced by their label."""
    if isinstance(value, str):
        for name, label in sorted(labels.items(), key=lambda item: -len(item[0])):
            value = value.replace(name, label) if name else value
        return value
    if isinstance(value, dict):
        return {k: _replace_names(v, labels) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_replace_names(v, labels) for v in value)
    return value
