"""The same tolerant reader behind the survey and leader-score imports, and the downloadable templates."""
import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.evaluation import operations as evaluation
from tests.shapes import Text, csv_bytes, xls, xlsx
from tests.web.client import WebClient
from tests.web.factories import TESTER


@pytest.fixture
def office(app, make):
    for name in ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局"):
        make.department(name)
    client = WebClient(app)
    client.login(make.user(Role.EVAL_OFFICE))
    evaluation.open_year(2026, "hangzhou", TESTER)
    return client


def upload(client, path: str, content: bytes, name: str):
    return client.post(path, {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


SURVEY = [
    ["2026年度部门综合考评社会评价问卷汇总"],
    ["填报单位：市考评办", None, None, None, "导出日期：2026-11-20"],
    ["问卷编号", "受访者类别", "被评单位\n（全称）", "评　价", "意见（建议）"],
    ["R1", "市民代表", "杭州市交通运输局", "满意", "地铁太挤，建议加密班次"],
    ["R1", "市民代表", "市城市管理局 ", "比较满意", Text("=垃圾分类要加强")],
    [None, None, None, None, None],
    ["Ｒ２", "党代表", "杭州市教育局", "不满意", ""],
    ["R3", "路人", "杭州市教育局", "满意", ""],
    ["注：本表由问卷系统导出。"],
]


def test_survey_with_a_title_row_full_width_headers_and_blank_and_note_rows(office):
    page, result = office.job(upload(office, "/evaluation/2026/survey", xlsx(SURVEY), "问卷.xlsx"))
    # one row rejected: the job leaves it for download with the reason and its row number
    rejected = pd.read_excel(io.BytesIO(result), engine="calamine")
    assert list(rejected["原表行号"]) == [8] and "受访者类别“路人”" in rejected["原因"][0]
    stored = db.session.execute(select(SurveyResponse.respondent, SurveyResponse.comment)
                                .order_by(SurveyResponse.id)).all()
    assert [r for r, _ in stored] == ["R1", "R1", "R2"]  # a full-width Ｒ２ is R2
    assert stored[1][1] == "=垃圾分类要加强"  # comments kept as written
    assert "导入问卷 3 行，拒收 1 行，另有空行 1 行（第6行）、说明行 1 行（第9行）不作为数据导入" in page


@pytest.mark.parametrize("kind", ["xls", "csv"])
def test_survey_from_a_legacy_xls_or_a_gb18030_csv(office, kind):
    rows = [[c if c is not None else "" for c in row] for row in SURVEY[:5]]
    content = xls(rows) if kind == "xls" else csv_bytes(rows, "gb18030")
    page, result = office.job(upload(office, "/evaluation/2026/survey", content, f"问卷.{kind}"))
    assert "导入问卷 2 行，拒收 0 行" in page and result is None
    assert db.session.scalar(select(db.func.count()).select_from(SurveyResponse)) == 2


def test_survey_without_a_header_gets_one_message(office):
    content = xlsx([["2026年度问卷"], ["编号", "分数"], ["R1", 3]])
    page, _ = office.job(upload(office, "/evaluation/2026/survey", content, "问卷.xlsx"))
    assert "失败" in page and "表头缺少：受访者类别、被评单位、评价。在工作表“项目清单”第2行读到的表头为：编号、分数" in page


def test_leader_scores_with_a_title_row_and_full_width_headers(office):
    rows = [["2026年度领导评分表"], ["被评单位", "评分领导", "得分（百分制）"],
            ["杭州市交通运输局", "市长", "９２"], ["市城市管理局", "副市长", 88.5], ["小计", None, 180.5],
            ["杭州市教育局", "市长", 120]]
    page, data = office.job(upload(office, "/evaluation/2026/leaders", xlsx(rows), "领导评分.xlsx"))
    assert "共读取 4 行：导入领导评分 2 行，拒收 1 行，另有合计行 1 行（第5行）不作为数据导入" in page
    rejected = pd.read_excel(io.BytesIO(data), engine="calamine")
    assert list(rejected["原表行号"]) == [6] and list(rejected["原因"]) == ["得分“120”应为0至100的数字"]
    scores = {(u.department.name, s.leader, s.score) for u in evaluation.units_of(db.session.scalar(select(EvaluationYear)))
              for s in u.leader_scores}
    assert scores == {("杭州市城市管理局", "副市长", Decimal("88.50")), ("杭州市交通运输局", "市长", Decimal("92.00"))}


@pytest.mark.parametrize(("path", "headers", "validated"), [
    ("/screening/template.xlsx", ["项目名称", "申报部门", "项目类别", "是否新出台", "申请财政资金(万元)", "是否应急抢险救灾"],
     {"C": "基建投资项目,其他项目,政策", "D": "是,否", "F": "是,否"}),
    ("/evaluation/2026/template/survey.xlsx", ["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"],
     {"B": "党代表", "D": "满意"}),
    ("/evaluation/2026/template/leader_scores.xlsx", ["被评单位", "领导", "得分"], {}),
])
def test_templates_have_the_canonical_headers_an_example_and_validation(app, make, office, path, headers, validated):
    client = WebClient(app)
    client.login(make.user(Role.REVIEWER if path.startswith("/screening") else Role.EVAL_OFFICE))
    response = client.get(path)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in sheet[1]] == headers and all(c.value not in (None, "") for c in sheet[2])
    rules = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in sheet.data_validations.dataValidation}
    for column, values in validated.items():
        assert values in rules[column]
    # the template, filled in as it comes, is read back by the import itself
    if path.startswith("/evaluation/2026/template/survey"):
        assert "已完成" in office.job(upload(office, "/evaluation/2026/survey", response.data, "模板.xlsx"))[0]
