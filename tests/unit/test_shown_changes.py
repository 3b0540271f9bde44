"""Round-to-round changes as a reader sees them (issue 21, point 4): Chinese, amounts formatted, no literal."""
from budget_eval.intake.domain.changes import shown_changes, ValueNames
from budget_eval.platform.domain.ruleset import version_label

OLD = {"fund_years": [[2027, "1200.00"], [2028, "800.00"]], "sources": {"general": "2000.00"},
       "fiscal_total_wan": "2000.00", "estimate_basis": None, "is_midyear": False, "category": "infra",
       "targets": [["产出指标", "数量指标", "新建道路里程", "", "12.5", "公里", "", None]]}
NEW = {**OLD, "fund_years": [[2027, "1000.00"], [2028, "600.00"]], "sources": {"general": "1600.00"},
       "fiscal_total_wan": "1600.00", "estimate_basis": "按概算", "is_midyear": True, "category": "other",
       "targets": []}
NAMES = ValueNames(category={"infra": "基建投资项目", "other": "其他项目"}.__getitem__,
                   source={"general": "一般公共预算"}.__getitem__)


def test_each_field_in_chinese_with_formatted_amounts():
    shown = {label: (before, after) for label, before, after in shown_changes(OLD, NEW, NAMES)}
    assert shown["分年度申请本级财政资金"] == ("2027年 1,200.00万元；2028年 800.00万元", "2027年 1,000.00万元；2028年 600.00万元")
    assert shown["项目总投资（按资金来源）"] == ("一般公共预算 2,000.00万元", "一般公共预算 1,600.00万元")
    assert shown["申请本级财政资金合计"] == ("2,000.00万元", "1,600.00万元")
    assert shown["测算依据"] == ("（未填）", "按概算")
    assert shown["年中预算调整新增"] == ("否", "是")
    assert shown["项目类别"] == ("基建投资项目", "其他项目")
    assert shown["绩效目标"] == ("产出指标/数量指标：新建道路里程 12.5公里", "（未填）")
    text = "".join(before + after for before, after in shown.values())
    assert not any(literal in text for literal in ("[[", "{'", "None", "Decimal", "general"))


def test_rule_versions_read_as_year_and_edition():
    assert version_label("2026-2@dc4121a9621c") == "2026年第2版"
    assert version_label("签署承诺（规则版本2026-1@67122c64fc77）") == "签署承诺（规则版本2026年第1版）"
    assert version_label("2026-2@a5aea62a5386/2026-2@3f7f2991e68e") == "2026年第2版/2026年第2版"
    assert version_label(None) == ""
