"""Rule files: typed strict schemas, Chinese errors naming file, key and value, a source for every number."""
import shutil
from pathlib import Path

import pytest

from budget_eval.intake.domain.rule_files import load_intake_rules, load_screening_rules
from budget_eval.platform.domain.ruleset import RuleError
from budget_eval.rules_check import check_directory

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_shipped_rule_files_load():
    screening = load_screening_rules(RULES / "screening.yaml")
    assert [c.label for c in screening.categories] == ["基建投资项目", "其他项目", "政策"]
    assert screening.category_by_label("基建项目").code == "infra"
    assert screening.category_by_label("不存在") is None
    intake = load_intake_rules(RULES / "intake.yaml")
    assert [s.label for s in intake.funding_sources][:2] == ["一般公共预算", "政府性基金预算"]
    assert [level.label for level in intake.indicator_levels] == ["产出指标", "效益指标", "成本指标", "满意度指标"]


def test_default_counted_sources_each_with_a_reason():
    screening = load_screening_rules(RULES / "screening.yaml")
    counted = {code for code, c in screening.source_counts.items() if c.counts}
    assert counted == {"general", "fund", "soe", "bond"}
    assert not {"transfer", "self", "social", "other"} & counted
    assert all(c.reason for c in screening.source_counts.values())
    assert screening.amount_basis == "whole_period"


def test_shipped_rules_pass_the_check_with_every_number_sourced():
    report = check_directory(RULES)
    assert report.ok, report.lines()
    assert {f.path for f in report.files} >= {"screening.yaml", "schemes/hangzhou.yaml", "schemes/haidian.yaml"}
    assert sum(len(f.numbers) for f in report.files) > 50
    assert report.lines()[-1] == f"共 {len(report.files)} 个规则文件，无来源的数字 0 个，全部校验通过。"


def test_hangzhou_quotas_are_the_bureaus_choice_citing_2020_as_an_example():
    report = check_directory(RULES)
    hangzhou = next(f for f in report.files if f.path == "schemes/hangzhou.yaml")
    quotas = [n for n in hangzhou.numbers if n.path.endswith(".quota")]
    assert len(quotas) == 2 and all(n.status == "本局自定" and "2020年" in n.source for n in quotas)
    places = next(n for n in hangzhou.numbers if n.path == "special_promotion.places")
    assert places.status == "本局自定"
    pass_line = next(n for n in hangzhou.numbers if n.path == "grading.pass_line")
    assert pass_line.status == "惯例" and "2005" in pass_line.source


@pytest.fixture
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_reports_a_number_without_a_source(rules_copy):
    edit(rules_copy / "intake.yaml", "max_period_years: {value: 10, status: 本局自定, source: 杭州市财政局绩效处（尚无外部依据）}",
         "max_period_years: 10")
    report = check_directory(rules_copy)
    assert not report.ok
    assert "  无来源的数字：intake.yaml max_period_years = 10" in report.lines()
    assert "无来源的数字 1 个" in report.lines()[-1]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("materials.yaml", "- {code: application, label: 事前绩效评估申报书, required: true}",
         "- {code: application, label: 事前绩效评估申报书, requird: true}",
         "materials.yaml：project[0].requird 的值 True 有误：不认识的键（是否拼写错误？）"),
        ("materials.yaml", "- {code: application, label: 事前绩效评估申报书, required: true}",
         '- {code: application, label: 事前绩效评估申报书, required: "false"}',
         "materials.yaml：project[0].required 的值 'false' 有误：应为 true 或 false（不加引号）"),
        ("screening.yaml", "threshold_wan: {value: 20000, ref: 第五条}", "threshold_wan: {value: 两亿, ref: 第五条}",
         "screening.yaml：categories[0].threshold_wan.value 的值 '两亿' 有误：应为数字（不加引号）"),
        ("screening.yaml", "threshold_wan: {value: 20000, ref: 第五条}", 'threshold_wan: "20000"',
         "screening.yaml：categories[0].threshold_wan 的值 '20000' 有误：应为数字（不加引号）"),
        ("screening.yaml", "threshold_wan: {value: 20000, ref: 第五条}", "threshold_wan: {value: 20000, ref: 第六条}",
         "screening.yaml：categories[0].threshold_wan.ref 的值 '第六条' 有误：sources 中没有这个名称"),
        ("schemes/hangzhou.yaml", "pass_line: {value: 82, ref: 达标线}", "pass_line: {value: 八十二, ref: 达标线}",
         "schemes/hangzhou.yaml：grading.pass_line.value 的值 '八十二' 有误：应为数字（不加引号）"),
        ("schemes/haidian.yaml", "method: thresholds", "method: threshold",
         "schemes/haidian.yaml：grading.method 的值 'threshold' 有误：应为 'quota' 或 'thresholds' 之一"),
        ("schemes/hangzhou.yaml", "appeal_days:", "apeal_days:", "schemes/hangzhou.yaml：appeal_days 缺少此项"),
        ("assessment.yaml", "comment_at_full_marks: true", 'comment_at_full_marks: "true"',
         "assessment.yaml：comment_at_full_marks 的值 'true' 有误：应为 true 或 false（不加引号）"),
    ],
)
def test_check_names_file_key_and_wrong_value_in_chinese(rules_copy, file, old, new, expected):
    edit(rules_copy / file, old, new)
    report = check_directory(rules_copy)
    assert not report.ok
    errors = [e for f in report.files for e in f.errors]
    assert expected in errors, errors


def test_a_broken_scheme_file_is_reported(rules_copy):
    (rules_copy / "schemes" / "hangzhou.yaml").write_text("kind: evaluation_scheme\ncomponents: [\n", encoding="utf-8")
    report = check_directory(rules_copy)
    errors = [e for f in report.files if f.path == "schemes/hangzhou.yaml" for e in f.errors]
    assert errors and "YAML 格式错误" in errors[0] and "hangzhou.yaml" in errors[0]


def test_loaders_refuse_a_broken_file_naming_file_and_key(rules_copy):
    edit(rules_copy / "screening.yaml", "threshold_wan: {value: 20000, ref: 第五条}", "threshold_wan: {value: -5, ref: 第五条}")
    with pytest.raises(RuleError, match="categories\\[0\\].threshold_wan.value 的值 -5 有误：应为非负的有限数字") as info:
        load_screening_rules(rules_copy / "screening.yaml")
    assert "screening.yaml" in str(info.value)


def test_sources_of_screening_and_intake_must_agree(rules_copy):
    edit(rules_copy / "screening.yaml", "social: {label: 社会资本", "social: {label: 社会投资")
    report = check_directory(rules_copy)
    assert report.errors and "amount.sources 应与 intake.yaml 的 funding_sources 一一对应" in report.errors[0]


def test_missing_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match="无法读取"):
        load_screening_rules(tmp_path / "nope.yaml")
