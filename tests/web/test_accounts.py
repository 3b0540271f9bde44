"""Issue 25: no lock-out weapon behind proxies, 修改密码 throttled, passwords per ASVS L2, look-alike user names
refused, a missing file answered in Chinese."""
from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from budget_eval.platform.auth import operations, passwords
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import PASSWORD

PROXY, PROXY_2 = "10.0.0.1", "10.0.0.2"
ATTACKER, ATTACKER_2, ATTACKER_3, PERSON = "203.0.113.9", "203.0.113.10", "203.0.113.11", "198.51.100.7"


def behind(proxies: int, client_address: str, claimed: str = "") -> dict:
    """The request as the last proxy sends it: X-Forwarded-For as each proxy appended to it (after anything the
    client itself wrote), the socket's address the last proxy's."""
    chain = [claimed] if claimed else []
    chain.append(client_address)
    if proxies == 2:
        chain.append(PROXY)
    return {"environ_base": {"REMOTE_ADDR": PROXY_2 if proxies == 2 else PROXY},
            "headers": {"X-Forwarded-For": ", ".join(chain), "X-Forwarded-Proto": ", ".join(["https"] * proxies),
                        "Referer": "https://localhost/login"}}  # over HTTPS the CSRF check also wants the referrer


def login(client, username: str, password: str, **request):
    return client.post("/login", {"username": username, "password": password}, **request)


def details(text: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.detail.contains(text))))


@pytest.mark.parametrize("proxies", [1, 2])
def test_a_strangers_failures_never_stop_the_right_password_from_another_client(app, make, proxies, monkeypatch):
    app.config["TRUSTED_PROXIES"] = proxies
    waits = []
    monkeypatch.setattr(operations.time, "sleep", waits.append)  # the step-up delay, recorded instead of slept
    kpb = make.user(Role.EVAL_OFFICE, username="kpb")
    attacker = WebClient(app)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert login(attacker, "kpb", "guess-guess-guess", **behind(proxies, ATTACKER)).status_code == 200
    refused = login(attacker, "kpb", PASSWORD, **behind(proxies, ATTACKER))  # even the right one: that client waits
    assert refused.status_code == 429 and "失败次数过多" in refused.get_data(as_text=True)
    # writing someone else's address into X-Forwarded-For does not help: the proxy appends the real one
    assert login(attacker, "kpb", "guess-guess-guess", **behind(proxies, ATTACKER, claimed=PERSON)).status_code == 429
    # the real kpb, from their own desk behind the same proxies, signs in at once
    person = WebClient(app)
    assert login(person, "kpb", PASSWORD, **behind(proxies, PERSON)).status_code == 302
    assert waits == []  # not even delayed: the account had fewer failures than its own threshold
    assert details(f"登录成功（{PERSON}）")[0].username == kpb.username
    assert details("需等待")[0].username.startswith(f"未登录（{ATTACKER}")  # the throttle event is audited

    # many strangers together (more failures on the account than LOGIN_ACCOUNT_FREE_FAILURES): still never a
    # block for a client that has not failed, only a step-up delay before the check, audited
    for address in (ATTACKER_2, ATTACKER_3):
        for _ in range(app.config["LOGIN_FREE_FAILURES"]):
            login(WebClient(app), "kpb", "guess-guess-guess", **behind(proxies, address))
    person, before = WebClient(app), len(waits)
    assert login(person, "kpb", PASSWORD, **behind(proxies, PERSON)).status_code == 302
    assert waits[before:] == [app.config["LOGIN_STEP_UP_SECONDS"]]
    assert details(f"验证前延迟{app.config['LOGIN_STEP_UP_SECONDS']}秒（{PERSON}）")


def test_without_trusted_proxies_the_header_is_ignored(app, make):
    make.user(Role.EVAL_OFFICE, username="kpb")
    attacker = WebClient(app)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        login(attacker, "kpb", "guess-guess-guess", environ_base={"REMOTE_ADDR": ATTACKER},
              headers={"X-Forwarded-For": PERSON})
    # the failures count against the socket's address, not the address the header claims
    assert login(WebClient(app), "kpb", PASSWORD, environ_base={"REMOTE_ADDR": PERSON}).status_code == 302


def test_one_client_trying_many_names_is_slowed_down(app, make):
    make.user(Role.REVIEWER, username="reviewer-x")
    sprayer = WebClient(app)
    for n in range(app.config["LOGIN_CLIENT_FREE_FAILURES"]):
        login(sprayer, f"name-{n}", "Spring2026!!", environ_base={"REMOTE_ADDR": ATTACKER})
    refused = login(sprayer, "reviewer-x", PASSWORD, environ_base={"REMOTE_ADDR": ATTACKER})
    assert refused.status_code == 429 and "本机" in refused.get_data(as_text=True)
    assert login(WebClient(app), "reviewer-x", PASSWORD, environ_base={"REMOTE_ADDR": PERSON}).status_code == 302


def test_guesses_of_the_current_password_are_throttled(app, make):
    user = make.user(Role.REVIEWER)
    client = WebClient(app)
    client.login(user)
    form = {"new": "Another-long-passphrase", "confirm": "Another-long-passphrase"}
    for n in range(app.config["LOGIN_FREE_FAILURES"]):
        page = client.post("/account/password", dict(form, current=f"guess-{n}")).get_data(as_text=True)
        assert "当前密码不正确" in page
    refused = client.post("/account/password", dict(form, current=PASSWORD))  # even the right one waits now
    assert refused.status_code == 429 and "失败次数过多" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    db.session.refresh(user)
    assert passwords.verify(user.password_hash, PASSWORD)  # unchanged
    assert len(details("修改密码：当前密码不正确")) == app.config["LOGIN_FREE_FAILURES"]
    assert details("修改密码受限")[0].username == user.username
    # and the guesses counted as failed logins of that account from that client
    assert login(WebClient(app), user.username, PASSWORD).status_code == 429


@pytest.mark.parametrize("weak", ["abcabcabca", "2026202620", "Passw0rd!!", "hangzhou2026",
                                  # the same ideas at twelve characters and more
                                  "abcabcabcabc", "202620262026", "Passw0rd!!!!", "Hangzhou2026!", "杭州财政2026年度预算",
                                  "qwerty123456"])
def test_weak_passwords_are_refused_everywhere(app, make, weak):
    assert passwords.password_problem(weak, "kpb") is not None
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    page = admin.post("/admin/users/new", {"username": "zhaoliu", "display_name": "赵六", "role": "reviewer",
                                           "department_id": "0", "password": weak, "active": "y"}).get_data(True)
    assert "密码" in page and db.session.scalar(select(User).where(User.username == "zhaoliu")) is None
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "boss-admin", "--password", weak])
    assert result.exit_code != 0


@pytest.mark.parametrize("good", ["Hz-Demo@2026", "correct horse battery", "西湖边的三潭印月在秋夜很美", "Lingyin-temple-bell"])
def test_passphrases_pass_without_composition_rules(app, good):
    assert passwords.password_problem(good, "kpb") is None


def test_look_alike_user_names_are_refused(app, make):
    make.user(Role.ADMIN, username="admin")
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    for look_alike in ("Admin", "ADMIN"):
        page = admin.post("/admin/users/new", {"username": look_alike, "display_name": "冒充", "role": "admin",
                                               "department_id": "0", "password": "Xixi-wetland-walk",
                                               "active": "y"}).get_data(as_text=True)
        assert "与已有用户名“admin”仅大小写或字形不同" in page
    assert db.session.scalar(select(User).where(User.username == "Admin")) is None
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "Admin", "--password",
                                                "Xixi-wetland-walk"])
    assert result.exit_code != 0 and "admin" in result.output
    # the database refuses it too, whatever path a second one takes
    from sqlalchemy.exc import IntegrityError

    db.session.add(User(username="ＡＤＭＩＮ", display_name="x", role="admin", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # signing in compares the same way: `ADMIN` is the admin, and counts against the admin's throttle
    assert login(WebClient(app), "ADMIN", PASSWORD).status_code == 302


def test_a_missing_attachment_gives_a_chinese_message_not_a_500(app, make, client, caplog):
    from budget_eval.intake import attachments
    from budget_eval.intake.models import Attachment

    staff = make.user(Role.DEPARTMENT)
    proposal = make.proposal(staff)
    attachments.store(proposal, io.BytesIO(b"%PDF-1.4 x"), "可研报告.pdf", staff)
    attachment = db.session.scalar(select(Attachment))
    Path(attachments.storage_path(attachment.storage_key)).unlink()
    client.login(staff)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/proposals/attachments/{attachment.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "文件“可研报告.pdf”已丢失或无法读取" in page and "联系管理员" in page
    assert any("可研报告.pdf" in record.getMessage() for record in caplog.records)


def test_a_missing_job_result_gives_a_chinese_message(app, make, client):
    from budget_eval.platform import file_store, jobs
    from budget_eval.platform.models.job import Job

    office = make.user(Role.EVAL_OFFICE)
    stored = file_store.keep_bytes(b"data", "结果.xlsx")
    job = Job(kind="survey_import", title="t", params={}, user_id=office.id, status="done", result_key=stored.key,
              result_name="结果.xlsx", message="")
    db.session.add(job)
    db.session.commit()
    file_store.remove(stored.key)
    client.login(office)
    url = next(r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("jobs.") and "result" in r.rule)
    response = client.get(url.replace("<int:job_id>", str(job.id)))
    assert response.status_code == 404 and "已丢失或无法读取" in response.get_data(as_text=True)
    assert jobs  # (the job module registers the page)


def test_a_missing_document_template_gives_a_chinese_message(app, make, client, tmp_path, caplog):
    from budget_eval.evaluation import operations as evaluation, publication
    from tests.web.factories import TESTER

    make.department("杭州市交通运输局")
    year = evaluation.open_year(2026, "hangzhou", TESTER)
    publication.publish(year, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    app.config["REPORT_TEMPLATES_DIR"] = tmp_path / "nowhere"  # the Word templates are gone
    client.login(make.user(Role.EVAL_OFFICE))
    with caplog.at_level(logging.ERROR):
        response = client.get("/evaluation/2026/feedback-report.docx")
    assert response.status_code == 503 and "所需文件缺失或无法读取" in response.get_data(as_text=True)
    assert caplog.records
    # the notice is made by a job (LibreOffice lays it out): the job fails, saying so in Chinese
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        page, result = client.job(client.post("/evaluation/2026/notice-job", {}))
    assert "失败" in page and "任务执行出错" in page and result is None and caplog.records


def test_department_changes_are_audited_with_what_changed(app, make):
    authority = make.department("杭州市卫生健康委员会")
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    admin.post("/admin/departments/new", {"name": "杭州市第一人民医院", "authority_id": str(authority.id),
                                            "sector_authority_id": str(authority.id), "active": "y"})
    from budget_eval.platform.models.department import Department

    hospital = db.session.scalar(select(Department).where(Department.name == "杭州市第一人民医院"))
    admin.post(f"/admin/departments/{hospital.id}/edit", {"name": "杭州市第一人民医院", "authority_id": "0",
                                                         "sector_authority_id": "0"})
    assert details("新建部门（主管部门：杭州市卫生健康委员会；行业主管部门：杭州市卫生健康委员会；启用）")
    assert details("修改部门：主管部门改为无；行业主管部门改为无；停用")
