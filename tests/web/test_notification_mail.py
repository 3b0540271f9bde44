"""Notifications by e-mail (platform/mail.py): sent only after the change commits, only with SMTP configured, and a
broken mail server never breaks the request. smtplib.SMTP is replaced by a recording fake (no network)."""
import smtplib

import pytest

from budget_eval.platform import mail
from budget_eval.platform.extensions import db
from budget_eval.platform.models.notification import Notification
from tests.web.flow import World


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        if FakeSMTP.fail:
            raise ConnectionRefusedError(111, "Connection refused")
        self.address = (host, port)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.tls = True

    def login(self, user, password):
        self.credentials = (user, password)

    def send_message(self, message):
        FakeSMTP.sent.append((self.address, message))


@pytest.fixture
def outbox(app, monkeypatch):
    FakeSMTP.sent, FakeSMTP.fail = [], False
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(SMTP_HOST="smtp.example.gov.cn", SMTP_PORT=2525, SMTP_FROM="noreply@example.gov.cn",
                      BASE_URL="https://jx.example.gov.cn/")
    return FakeSMTP.sent


@pytest.fixture
def world(app, make):
    world = World(app, make)
    world.admin.email = "admin@example.gov.cn"
    db.session.commit()
    return world


def test_a_state_change_sends_one_mail_after_commit(world, outbox):
    world.submit(name="邮件测试项目")
    assert len(outbox) == 1
    address, message = outbox[0]
    assert address == ("smtp.example.gov.cn", 2525)
    assert message["To"] == "admin@example.gov.cn" and message["From"] == "noreply@example.gov.cn"
    assert message["Subject"].startswith("【预算绩效管理系统】") and "邮件测试项目" in message["Subject"]
    notice = db.session.query(Notification).filter_by(user_id=world.admin.id).one()
    assert f"https://jx.example.gov.cn{notice.url}" in message.get_content()


def test_a_rolled_back_change_sends_nothing(world, outbox):
    mail.collect([world.admin.id], "“甲项目”进入“已提交”阶段", "/proposals/1")
    db.session.rollback()
    db.session.commit()
    assert outbox == []
    mail.collect([world.admin.id], "“乙项目”进入“已提交”阶段", "")
    with db.session.begin_nested():  # a savepoint's commit is not the transaction's
        pass
    assert outbox == []  # not before the commit
    db.session.commit()
    assert len(outbox) == 1 and "请登录系统查看详情" in outbox[0][1].get_content()


def test_no_smtp_configured_sends_nothing(world, outbox, app):
    app.config["SMTP_HOST"] = ""
    world.submit(name="不发邮件项目")
    assert outbox == []
    assert db.session.query(Notification).filter_by(user_id=world.admin.id).count() == 1


def test_a_broken_mail_server_does_not_break_the_request(world, outbox, caplog):
    FakeSMTP.fail = True
    world.submit(name="服务器故障项目")  # asserts the redirect
    assert db.session.query(Notification).filter_by(user_id=world.admin.id).count() == 1
    assert "邮件通知发送失败" in caplog.text


def test_the_admin_records_an_address_and_a_bad_one_is_refused(world):
    from budget_eval.platform.models.user import User

    admin = world.client(world.admin)
    data = {"username": "wangwu", "display_name": "王五", "role": "reviewer", "department_id": "0",
            "password": "long-enough-1", "active": "y", "email": "wangwu at example"}
    page = admin.post("/admin/users/new", data).get_data(as_text=True)
    assert "请填写有效的电子邮箱" in page and 'value="wangwu at example"' in page
    data["email"] = " wangwu@example.gov.cn "
    assert admin.post("/admin/users/new", data).status_code == 302
    assert db.session.query(User).filter_by(username="wangwu").one().email == "wangwu@example.gov.cn"
