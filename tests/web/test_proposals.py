"""Proposal intake through the web: drafts, submission with screening, validation, history."""
import re
import shutil
from decimal import Decimal

import pytest

from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.domain.ruleset import version_label
from budget_eval.platform.extensions import db
from budget_eval.intake.models import FundSource, PerformanceTarget, Proposal, ScreeningRecord
from tests.web.factories import form_post


@pytest.fixture
def staff(client, make):
    user = make.user(Role.DEPARTMENT, make.department("杭州市交通运输局"))
    client.login(user)
    return user


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_submitting_a_new_2_5_yi_infrastructure_project_shows_required_with_basis(client, staff):
    response = client.post("/proposals/new", form_post())
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    page = client.text(response.headers["Location"])
    assert "项目已提交。事前绩效评估范围判定：需要" in page
    assert ("计入第五条金额的财政预算资金：一般公共预算15,000.00万元、专项债券10,000.00万元。"
            "【本局自定】按实施期（2027—2028年）合计计算，为25,000.00万元，达到基建投资项目2亿元的评估门槛") in page
    assert "《杭州市预算事前绩效评估管理办法》（杭州市财政局，2020-05-25）第五条：“事前绩效评估对象为" in page
    record = proposal.latest_screening
    assert (proposal.status, record.outcome, record.fiscal_total_wan) == ("submitted", "required", Decimal("25000.00"))
    assert record.rule_set == "杭州市预算事前绩效评估范围" and "@" in record.rule_version
    assert record.rule_version not in page  # the content hash stays on record; the page says 2026年第2版
    assert version_label(record.rule_version) in page and "年第" in version_label(record.rule_version)
    assert [e.action for e in proposal.events] == ["提交"]
    assert {(s.source, s.amount_wan) for s in proposal.sources} == {("general", Decimal("15000")), ("bond", Decimal("10000"))}
    assert [(f.year, f.amount_wan) for f in proposal.fund_years] == [(2027, Decimal("10000")), (2028, Decimal("15000"))]


def test_a_draft_may_be_incomplete_and_is_completed_later(client, staff):
    response = client.post("/proposals/new", {"name": "中小学食堂提升改造", "action": "draft"})
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.status, proposal.screening_outcome, proposal.department_id) == ("draft", None, staff.department_id)
    assert "草稿已保存" in client.text(response.headers["Location"])
    # the draft reopens with what was typed, then is submitted complete
    assert 'value="中小学食堂提升改造"' in client.text(f"/proposals/{proposal.id}/edit")
    data = form_post(name="中小学食堂提升改造", category="other", **{
        "fund_years-0-amount": "400", "fund_years-1-amount": "460", "sources-general": "860", "sources-bond": None})
    assert client.post(f"/proposals/{proposal.id}/edit", data).status_code == 302
    db.session.refresh(proposal)
    # screened 不需要: the submission closes it as 无需评估, a final state (issue 21, point 5)
    assert (proposal.status, proposal.screening_outcome) == ("not_assessed", "not_required")
    assert [e.action for e in proposal.events] == ["创建草稿", "提交（判定无需评估，办结）"]


def test_editing_a_draft_replaces_its_tables(client, staff, make):
    proposal = make.proposal(staff)
    data = form_post(action="draft", **{"fund_years-1-year": None, "fund_years-1-amount": None,
                                         "fund_years-0-amount": "8000", "sources-bond": None, "sources-general": "8000"})
    assert client.post(f"/proposals/{proposal.id}/edit", data).status_code == 302
    db.session.refresh(proposal)
    assert [(f.year, f.amount_wan) for f in proposal.fund_years] == [(2027, Decimal("8000"))]
    assert proposal.fiscal_total_wan == Decimal("8000")
    assert count(FundSource) == 1 and count(PerformanceTarget) == 1


def test_a_draft_funded_by_every_source_opens_for_editing(client, staff, make, app):
    """单位自筹 has the code `self`: the edit form must still open with each stored amount filled in."""
    from budget_eval.intake.rules import intake_rules

    codes = [s.code for s in intake_rules().funding_sources]
    proposal = make.proposal(staff, sources={code: Decimal(i + 1) for i, code in enumerate(codes)})
    page = client.text(f"/proposals/{proposal.id}/edit")
    for i, code in enumerate(codes):
        assert re.search(rf'name="sources-{code}"[^>]*value="{i + 1}(\.00)?"', page), code


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "请填写项目名称"),
        ({"category": None}, "请选择项目类别"),
        ({"category": "bogus"}, "请选择有效的项目类别"),
        ({"is_new": None}, "请选择新出台或延续"),
        ({"year": "二〇二七"}, "年度应为四位数字"),
        ({"year": "1999"}, "年度应在2000至2100之间"),
        ({"end_year": "2026"}, "结束年度不能早于开始年度"),
        ({"fund_years-0-amount": "abc"}, "“abc”不是有效的金额"),
        ({"fund_years-0-amount": "-100"}, "金额不能为负数"),
        ({"fund_years-0-amount": "1.234"}, "最多保留两位小数"),
        ({"fund_years-0-amount": ""}, "请同时填写年度和金额"),
        ({"fund_years-1-year": "2027"}, "2027年重复填写"),
        ({"fund_years-1-year": "2030"}, "2030年不在实施期（2027—2028年）内"),
        ({"sources-general": "14000"}, "资金来源中计入本级财政预算资金的部分合计24,000.00万元，与分年度申请本级财政资金合计25,000.00万元不一致"),
        ({"sources-self": "NaN"}, "金额应为有限的数字"),
        ({"basis_text": " "}, "请填写立项依据及必要性"),
        ({"plan_text": ""}, "请填写实施方案"),
        ({"budget_text": ""}, "请填写预算测算依据"),
        ({"is_emergency": "y"}, "请说明理由"),
        ({"targets-0-level1": None, "targets-0-level2": None, "targets-0-name": None, "targets-0-value": None,
          "targets-0-unit": None, "targets-0-comparator": None, "targets-0-basis": None}, "请至少填写一项绩效目标"),
        ({"targets-0-comparator": "定性", "targets-0-value": ""}, "请填写定性描述"),
        ({"targets-0-value": "较多"}, "比较方式为“≥”时指标值应为数字"),
        ({"targets-0-year": "2031"}, "2031年不在实施期（2027—2028年）内"),
        ({"fund_years-0-amount": "1.5元"}, "按元填写的金额折合万元后超过两位小数"),
        ({"targets-0-unit": ""}, "请填写计量单位"),
        ({"targets-0-level1": "产出"}, "请选择有效的一级指标"),
        ({"targets-0-level2": "社会效益指标"}, "“社会效益指标”不属于“产出指标”"),
    ],
)
def test_each_invalid_submission_gets_a_chinese_error_and_saves_nothing(client, staff, overrides, message):
    data = form_post(**{"basis_text": "立项依据：R&D <投入> \"引号\" 'x'"}, **overrides) if "basis_text" not in overrides \
        else form_post(**overrides)
    response = client.post("/proposals/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page, message
    assert "您填写的内容都已保留" in page
    assert count(Proposal) == 0 and count(ScreeningRecord) == 0
    # nothing typed is lost: the other values come back in the form
    if overrides.get("name", "x"):
        assert 'value="城西综合交通枢纽配套道路工程"' in page
    assert 'value="10,000"' in page or "fund_years-0-amount" in overrides
    if "basis_text" not in overrides:
        assert "立项依据：R&amp;D &lt;投入&gt; &#34;引号&#34; &#39;x&#39;" in page


def test_a_failed_submit_of_an_existing_draft_leaves_the_draft_untouched(client, staff, make):
    proposal = make.proposal(staff, name="原名称")
    response = client.post(f"/proposals/{proposal.id}/edit", form_post(name="新名称", **{"sources-general": "1"}))
    assert response.status_code == 422
    db.session.refresh(proposal)
    assert (proposal.name, proposal.status, len(proposal.screenings)) == ("原名称", "draft", 0)


def test_submitted_proposal_cannot_be_edited(client, staff, make):
    proposal = make.proposal(staff, submit=True)
    response = client.get(f"/proposals/{proposal.id}/edit")
    assert response.status_code == 302
    assert "项目处于“已提交”阶段，不能修改" in client.text(response.headers["Location"])
    client.post(f"/proposals/{proposal.id}/edit", form_post(name="偷偷改名"))
    db.session.refresh(proposal)
    assert proposal.name == "城西综合交通枢纽配套道路工程"


def test_emergency_project_over_threshold_is_exempt(client, staff):
    client.post("/proposals/new", form_post(category="other", is_emergency="y", emergency_reason="汛期抢险急需"))
    assert db.session.scalar(select(Proposal)).screening_outcome == "exempt"


def test_continuing_project_is_not_required(client, staff):
    client.post("/proposals/new", form_post(is_new="continuing"))
    assert db.session.scalar(select(Proposal)).screening_outcome == "not_required"


def test_changing_rules_changes_new_results_and_keeps_stored_ones(client, staff, app, tmp_path, make):
    earlier = make.proposal(staff, submit=True, name="早先的项目")
    rules_dir = tmp_path / "rules"
    shutil.copytree(app.config["RULES_DIR"], rules_dir)
    path = rules_dir / "screening.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('threshold_wan: {value: 20000,', 'threshold_wan: {value: 30000,'),
                    encoding="utf-8")
    app.config["RULES_DIR"] = rules_dir
    client.post("/proposals/new", form_post(name="规则调整后的项目"))
    later = db.session.scalar(select(Proposal).where(Proposal.name == "规则调整后的项目"))
    assert later.screening_outcome == "not_required"
    assert "低于基建投资项目3亿元的评估门槛" in later.latest_screening.basis
    db.session.refresh(earlier)
    assert earlier.screening_outcome == "required"
    assert earlier.latest_screening.rule_version != later.latest_screening.rule_version
    assert "达到基建投资项目2亿元的评估门槛" in client.text(f"/proposals/{earlier.id}")


def test_user_text_is_escaped_on_pages(client, staff, make):
    proposal = make.proposal(staff, submit=True, name="<script>alert(1)</script>", plan_text="第一行\n<b>第二行</b>")
    page = client.text(f"/proposals/{proposal.id}")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;第二行&lt;/b&gt;" in page


def test_detail_shows_data_targets_and_history(client, staff, make):
    proposal = make.proposal(staff, submit=True)
    page = client.text(f"/proposals/{proposal.id}")
    for text in ("杭州市交通运输局", "基建投资项目", "新出台", "2027—2028年", "2.5亿元（25,000.00万元）",
                 "一般公共预算", "专项债券", "15,000.00", "新建道路里程", "公里", "办理记录", "草稿 → 已提交"):
        assert text in page, text


def test_form_offers_every_source_and_indicator_from_rules(client, staff):
    page = client.text("/proposals/new")
    for label in ("一般公共预算", "政府性基金预算", "国有资本经营预算", "专项债券", "上级补助", "单位自筹", "其他",
                  "产出指标", "效益指标", "满意度指标", "服务对象满意度指标", "可持续影响指标"):
        assert label in page, label
    assert len(re.findall(r'name="targets-\d+-name"', page)) == 3  # three blank target rows to start


def test_many_target_rows_added_in_the_browser_are_kept(client, staff):
    extra = {}
    for i in range(1, 8):
        extra |= {f"targets-{i}-level1": "效益指标", f"targets-{i}-level2": "社会效益指标",
                  f"targets-{i}-name": f"指标{i}", f"targets-{i}-value": "90", f"targets-{i}-unit": "%",
                  f"targets-{i}-comparator": "≥", f"targets-{i}-basis": "往年数据"}
    client.post("/proposals/new", form_post(**extra))
    assert count(PerformanceTarget) == 8
