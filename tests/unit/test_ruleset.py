from pathlib import Path

import pytest

from budget_eval.platform.domain.ruleset import load_intake_rules, load_screening_rules, RuleError

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_shipped_rule_files_load():
    screening = load_screening_rules(RULES / "screening.yaml")
    assert [c.label for c in screening.categories] == ["基建投资项目", "其他项目", "政策"]
    assert screening.category_by_label("基建项目").code == "infra"
    assert screening.category_by_label("不存在") is None
    intake = load_intake_rules(RULES / "intake.yaml")
    assert [s.label for s in intake.funding_sources][:2] == ["一般公共预算", "政府性基金预算"]
    assert [level.label for level in intake.indicator_levels] == ["产出指标", "效益指标", "满意度指标"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('threshold_wan: "20000"', "threshold_wan: lots"), "threshold_wan 应为金额"),
        (lambda t: t.replace('threshold_wan: "20000"', 'threshold_wan: "-5"'), "非负金额"),
        (lambda t: t.replace("kind: screening", "kind: other"), "kind 应为 screening"),
        (lambda t: t.replace("version:", "old_version:"), "缺少 version"),
        (lambda t: t.replace("code: other", "code: infra"), "code 重复"),
        (lambda t: t + "\n  - : [", "YAML 格式错误"),
    ],
)
def test_broken_rule_file_names_file_and_key(tmp_path, edit, message):
    path = tmp_path / "screening.yaml"
    path.write_text(edit((RULES / "screening.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(RuleError, match=message) as info:
        load_screening_rules(path)
    assert str(path) in str(info.value)


def test_missing_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match="无法读取"):
        load_screening_rules(tmp_path / "nope.yaml")
