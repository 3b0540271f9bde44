"""Failure paths: error pages without the database, /healthz, download names, re-imports, duplicate
respondents and the attachment quota."""
from __future__ import annotations

import io
import logging
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from budget_eval import create_app
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.downloads import safe_filename
from budget_eval.platform.extensions import db
from budget_eval.intake.models import Attachment
from budget_eval.evaluation.models import LeaderScore, SurveyResponse
from budget_eval.evaluation import operations as evaluation
from tests.web.client import WebClient
from tests.web.factories import TESTER

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-dir/for/sure/budget.sqlite3",
    "postgresql": "postgresql+psycopg://budget_eval:x@127.0.0.1:1/nowhere?connect_timeout=2",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def dead_app(request, tmp_path):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "INSTANCE_PATH": tmp_path / "instance",
                       "ATTACHMENT_DIR": tmp_path / "attachments", "SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param]})


def test_with_the_database_down_pages_are_the_chinese_error_page(dead_app, caplog):
    http = dead_app.test_client()
    with http.session_transaction() as session:  # a signed-in user: the page must load them from the database
        session.update({"_user_id": "1.0", "_fresh": True, "_login_at": 2**31, "_seen_at": 2**31})
    with caplog.at_level(logging.ERROR):
        response = http.get("/proposals/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "系统暂时无法连接数据库" in page and "Internal Server Error" not in page
    request_id = re.search(r"请求编号：<code>([0-9a-f]+)</code>", page).group(1)
    assert response.headers["X-Request-ID"] == request_id
    assert any(request_id in record.getMessage() for record in caplog.records)
    login = http.post("/login", data={"username": "x", "password": "y"})  # CSRF fails first: a 400, in Chinese
    assert "表单可能已过期" in login.get_data(as_text=True)


def test_an_unexpected_error_is_the_chinese_500_page_with_its_request_id(fresh_app, caplog):
    app = fresh_app  # it adds a route: an app of its own
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "系统内部错误" in page
    request_id = response.headers["X-Request-ID"]
    assert request_id in page and any(request_id in r.getMessage() for r in caplog.records)


def test_404_and_403_pages_are_chinese(client, make):
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    client.login(make.user(Role.EXPERT))
    response = client.get("/admin/users")
    assert response.status_code == 403 and "没有权限" in response.get_data(as_text=True)


def test_healthz_checks_the_database(client, dead_app):
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.get_json()["parts"] == {"database": "ok", "attachments": "ok"}
    down = dead_app.test_client().get("/healthz")
    body = down.get_json()
    assert down.status_code == 503 and body["parts"]["database"] == "down" and body["parts"]["attachments"] == "ok"
    assert "数据库（database）" in body["message"]
    assert dead_app.test_client().get("/livez").status_code == 200  # the process itself answers


@pytest.mark.parametrize(("name", "expected"), [
    ("普通名称.xlsx", "普通名称.xlsx"),
    ('交通\r\n局"报表\'; x.xlsx', "交通 局_报表__ x.xlsx"),
    ("../../etc/passwd.docx", "_.._etc_passwd.docx"),
    ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
    ("\r\n.xlsx", "下载文件.xlsx"),
    ("无扩展名" * 40, "无扩展名" * 25),
])
def test_download_names_are_sanitised_and_keep_their_extension(name, expected):
    assert safe_filename(name) == expected


def test_a_crlf_department_name_downloads_cleanly(app, make):
    department = make.department('交通\r\n运输局"; filename=evil.exe')
    office = make.user(Role.EVAL_OFFICE)
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    unit = next(u for u in record.units if u.department_id == department.id)
    client = WebClient(app)
    client.login(office)
    response = client.get(f"/evaluation/units/{unit.id}/comments.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert response.status_code == 200 and "\r" not in disposition and "\n" not in disposition
    assert disposition.endswith(".xlsx") and "evil.exe\"" not in disposition
    assert response.headers["Cache-Control"] == "no-store"


def test_every_download_goes_through_the_one_helper():
    offenders = []
    for path in (ROOT / "budget_eval").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "downloads.py" and (re.search(r"\bsend_file\(", text) or "Content-Disposition" in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.fixture
def draft(client, make):
    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    return make.proposal(staff)


def upload(client, proposal, content: bytes, filename: str) -> str:
    response = client.post(f"/proposals/{proposal.id}/attachments", {"file": (io.BytesIO(content), filename)},
                           content_type="multipart/form-data")
    return client.text(response.headers["Location"])


def test_a_long_file_name_keeps_its_extension(client, draft):
    page = upload(client, draft, b"%PDF-1.4 long", "很长的文件名" * 50 + ".pdf")
    assert "上传失败" not in page
    stored = db.session.scalar(select(Attachment))
    assert stored.filename.endswith(".pdf") and len(stored.filename) <= 200


def test_attachment_count_and_total_size_quota(client, draft, app):
    app.config.update(ATTACHMENT_MAX_COUNT=3, ATTACHMENT_MAX_TOTAL_BYTES=3000)
    for n in range(3):
        assert "上传失败" not in upload(client, draft, b"%PDF-1.4" + b"x" * 500, f"附件{n}.pdf")
    page = upload(client, draft, b"%PDF-1.4 one more", "第四个.pdf")
    assert "每个项目最多上传3个附件" in page
    app.config.update(ATTACHMENT_MAX_COUNT=50)
    page = upload(client, draft, b"%PDF-1.4" + b"x" * 2000, "太大.pdf")
    assert "本项目附件总大小不能超过" in page
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 3
    files = [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()]
    assert len(files) == 3  # the refused files left nothing behind


@pytest.fixture
def office(app, make):
    departments = [make.department(n) for n in ("杭州市交通运输局", "杭州市城市管理局")]
    user = make.user(Role.EVAL_OFFICE)
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    client = WebClient(app)
    client.login(user)
    return client, record, departments


def sheet(rows, columns) -> bytes:
    out = io.BytesIO()
    pd.DataFrame(rows, columns=columns).to_excel(out, index=False)
    return out.getvalue()


def test_reimporting_leader_scores_replaces_them(office):
    client, record, departments = office
    data = sheet([("杭州市交通运输局", "市长", "92"), ("市城市管理局", "副市长", "88.5"),
                  ("杭州市交通运输局", "市长", "60")], ["被评单位", "领导", "得分"])
    for _ in range(2):
        response = client.post("/evaluation/2026/leaders", {"file": (io.BytesIO(data), "领导评分.xlsx")},
                               content_type="multipart/form-data")
        rejected = pd.read_excel(io.BytesIO(client.job(response)[1]), engine="calamine")
        assert list(rejected["原因"]) == ["领导“市长”对该单位的评分在文件中重复（以前一条为准）"]
    scores = db.session.execute(select(LeaderScore.leader, LeaderScore.score).order_by(LeaderScore.leader)).all()
    assert scores == [("副市长", Decimal("88.50")), ("市长", Decimal("92.00"))]
    corrected = sheet([("杭州市交通运输局", "市长", "95")], ["被评单位", "领导", "得分"])
    client.post("/evaluation/2026/leaders", {"file": (io.BytesIO(corrected), "更正.xlsx")},
                content_type="multipart/form-data")
    assert db.session.scalar(select(LeaderScore.score).where(LeaderScore.leader == "市长")) == Decimal("95.00")
    assert db.session.scalar(select(func.count()).select_from(LeaderScore)) == 2


def test_a_repeated_respondent_within_one_file_is_a_rejected_row(office):
    client, record, departments = office
    rows = [("R1", "市民代表", "杭州市交通运输局", "满意", ""),
            ("R1", "市民代表", "杭州市城市管理局", "满意", ""),  # the same person on another unit: fine
            ("Ｒ１", "市民代表", "杭州市交通运输局", "不满意", "全角编号"),  # the same id typed full-width
            ("r1", "市民代表", "市交通运输局", "满意", "小写编号"),
            ("R2", "市民代表", "杭州市交通运输局", "满意", ""),
            ("R2", "企业代表", "杭州市城市管理局", "满意", "换了身份")]
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(sheet(rows, [
        "受访者编号", "受访者类别", "被评单位", "评价", "意见建议"])), "问卷.xlsx")}, content_type="multipart/form-data")
    _, result = client.job(response)
    rejected = pd.read_excel(io.BytesIO(result), engine="calamine")
    assert list(rejected["意见建议"]) == ["全角编号", "小写编号", "换了身份"]
    reasons = list(rejected["原因"])
    assert all("重复评价" in r for r in reasons[:2]) and "受访者类别与前一条（“市民代表”）不同" in reasons[2]
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 3
