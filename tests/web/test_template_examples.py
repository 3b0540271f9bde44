"""A template's example row is sample data: left in an upload it is set aside as 模板示例行 with a Chinese message,
never imported (survey, leader scores, batch screening)."""
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from budget_eval.evaluation import operations as evaluation
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.client import WebClient
from tests.web.factories import TESTER


@pytest.fixture
def office(app, make):
    for name in ("杭州市交通运输局", "杭州市城市管理局"):
        make.department(name)
    client = WebClient(app)
    client.login(make.user(Role.EVAL_OFFICE))
    evaluation.open_year(2026, "hangzhou", TESTER)
    return client


def filled(template: bytes, *rows: list) -> bytes:
    """The template as downloaded, its example row left in, with rows added below it."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, path: str, content: bytes, name: str):
    return client.post(path, {"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def test_the_survey_templates_example_row_is_never_imported(office):
    template = office.get("/evaluation/2026/template/survey.xlsx").data
    book = load_workbook(io.BytesIO(template))
    assert book.worksheets[0]["A2"].value == "示例：HZ000001"  # marked as the example
    assert any("模板示例行" in str(c.value) for row in book.worksheets[1].iter_rows() for c in row)
    content = filled(template, ["R9", "市民代表", "杭州市城市管理局", "满意", "垃圾清运及时"])
    page, _ = office.job(upload(office, "/evaluation/2026/survey", content, "问卷.xlsx"))
    assert "导入问卷 1 行，拒收 0 行，另有模板示例行 1 行（第2行）不作为数据导入" in page
    stored = db.session.execute(select(SurveyResponse.respondent, SurveyResponse.comment)).all()
    assert stored == [("R9", "垃圾清运及时")]
    assert not db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                 .where(SurveyResponse.comment == "地铁早高峰太挤"))


def test_a_real_row_that_happens_to_equal_the_example_is_imported(office):
    """Only the mark makes a row the example: a respondent HZ000001 who wrote 地铁早高峰太挤 is a real answer."""
    template = office.get("/evaluation/2026/template/survey.xlsx").data
    content = filled(template, ["HZ000001", "市民代表", "杭州市交通运输局", "满意", "地铁早高峰太挤"])
    page, _ = office.job(upload(office, "/evaluation/2026/survey", content, "问卷.xlsx"))
    assert "导入问卷 1 行，拒收 0 行，另有模板示例行 1 行（第2行）不作为数据导入" in page


def test_the_leader_score_templates_example_row_is_never_imported(office):
    template = office.get("/evaluation/2026/template/leader_scores.xlsx").data
    response = upload(office, "/evaluation/2026/leaders", filled(template, ["杭州市城市管理局", "市长", 90]),
                      "领导评分.xlsx")
    assert response.status_code == 302
    page = office.text(response.headers["Location"])
    assert "导入领导评分 1 行，拒收 0 行，另有模板示例行 1 行（第2行）不作为数据导入" in page
    scores = {(u.department.name, s.leader) for u in evaluation.units_of(db.session.scalar(select(EvaluationYear)))
              for s in u.leader_scores}
    assert scores == {("杭州市城市管理局", "市长")}  # 张三's 92.5 for 交通运输局 is the example


def test_the_batch_screening_templates_example_row_is_not_judged(app, make):
    client = WebClient(app)
    client.login(make.user(Role.REVIEWER))
    template = client.get("/screening/template.xlsx").data
    content = filled(template, ["城东污水处理厂提标改造", "杭州市生态环境局", "基建投资项目", "是", 30000, "否"])
    page, data = client.job(upload(client, "/screening/batch", content, "清单.xlsx"))
    assert "另有模板示例行 1 行（第2行）不作为数据导入" in page  # said on the job's page, not only in the file
    result = pd.read_excel(io.BytesIO(data), engine="calamine", sheet_name=None)
    rows = result["筛查结果"]
    example = rows[rows["项目名称"] == "示例：城西综合交通枢纽配套道路工程"]
    assert list(example["是否需事前绩效评估"]) == ["模板示例行（不作判定，请删除）"]
    summary = dict(zip(result["汇总"]["项目"], result["汇总"]["内容"]))
    assert summary["判定的项目行"] == 1 and summary["模板示例行（不作判定）"].startswith("1（第2行）")
