"""Sessions that end: a captured cookie is worthless after logout, a password change or reset, a role change
or deactivation; idle and absolute lifetimes; no-store on pages and downloads; HSTS in production."""
from __future__ import annotations

import pytest

from budget_eval.platform.auth import sessions
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import PASSWORD


def captured(client: WebClient) -> str:
    return client.http.get_cookie("session").value


def replay(app, cookie: str, url: str = "/proposals/"):
    """An attacker's browser with only the stolen cookie."""
    thief = WebClient(app)
    thief.http.set_cookie("session", cookie)
    return thief.get(url)


def signed_in(response) -> bool:
    return response.status_code == 200


def user_form(user: User, **changes) -> dict:
    data = {"username": user.username, "display_name": user.display_name, "role": user.role,
            "department_id": str(user.department_id or 0), "active": "y", "password": ""}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_cookie_replayed_after_logout_is_refused(app, client, make):
    client.login(make.user(Role.REVIEWER))
    cookie = captured(client)
    assert signed_in(replay(app, cookie))  # the stolen cookie works while the session lives
    assert client.post("/logout").status_code == 302
    response = replay(app, cookie)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_logout_ends_the_users_other_sessions_too(app, make):
    user = make.user(Role.REVIEWER)
    office, home = WebClient(app), WebClient(app)
    office.login(user)
    home.login(user)
    office.post("/logout")
    assert home.get("/proposals/").status_code == 302


def test_cookie_replayed_after_an_admin_password_reset_is_refused(app, client, make):
    victim = make.user(Role.DEPARTMENT)
    client.login(victim)
    cookie = captured(client)
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    response = admin.post(f"/admin/users/{victim.id}/edit", user_form(victim, password="Reset-by-admin-7"))
    assert response.status_code == 302
    assert not signed_in(replay(app, cookie))
    assert not signed_in(client.get("/proposals/"))
    fresh = WebClient(app)
    fresh.login(victim, "Reset-by-admin-7")


@pytest.mark.parametrize("change", [{"role": "expert", "department_id": "0"}, {"active": None}])
def test_role_change_and_deactivation_end_every_session(app, client, make, change):
    victim = make.user(Role.REVIEWER)
    client.login(victim)
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    assert admin.post(f"/admin/users/{victim.id}/edit", user_form(victim, **change)).status_code == 302
    assert client.get("/reviews/").status_code == 302


def test_editing_only_the_name_keeps_the_session(app, client, make):
    victim = make.user(Role.REVIEWER)
    client.login(victim)
    admin = WebClient(app)
    admin.login(make.user(Role.ADMIN))
    admin.post(f"/admin/users/{victim.id}/edit", user_form(victim, display_name="新名字"))
    assert signed_in(client.get("/proposals/"))


def test_changing_ones_own_password_keeps_this_session_and_ends_the_others(app, client, make):
    user = make.user(Role.REVIEWER)
    other = WebClient(app)
    client.login(user)
    other.login(user)
    cookie = captured(client)
    page = client.post("/account/password", {"current": "wrong-one-x", "new": "Another-pass-42",
                                             "confirm": "Another-pass-42"}).get_data(as_text=True)
    assert "当前密码不正确" in page
    for weak, message in (("123456789012", "过于常见"), ("short", "密码至少12位"), (user.username + "-x-2026", "用户名")):
        page = client.post("/account/password", {"current": PASSWORD, "new": weak, "confirm": weak}).get_data(True)
        assert message in page
    response = client.post("/account/password", {"current": PASSWORD, "new": "Another-pass-42",
                                                 "confirm": "Another-pass-42"})
    assert response.status_code == 302
    assert signed_in(client.get("/proposals/"))
    assert not signed_in(other.get("/proposals/"))
    assert not signed_in(replay(app, cookie))  # the cookie from before the change
    WebClient(app).login(user, "Another-pass-42")


def test_idle_and_absolute_lifetimes(app, client, make, monkeypatch):
    client.login(make.user(Role.REVIEWER))
    start = sessions._now()
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    monkeypatch.setattr(sessions, "_now", lambda: start + idle - 30)
    assert signed_in(client.get("/proposals/"))  # active: the idle clock restarts
    monkeypatch.setattr(sessions, "_now", lambda: start + 2 * idle - 60)
    assert signed_in(client.get("/proposals/"))
    monkeypatch.setattr(sessions, "_now", lambda: start + 3 * idle + 60)  # idle too long
    assert not signed_in(client.get("/proposals/"))

    monkeypatch.undo()
    client = WebClient(app)
    client.login(db.session.scalars(db.select(User)).first())
    start = sessions._now()
    step = idle - 60
    absolute = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    t = start
    while t + step < start + absolute:  # busy all day long, never idle
        t += step
        monkeypatch.setattr(sessions, "_now", lambda t=t: t)
        assert signed_in(client.get("/proposals/"))
    monkeypatch.setattr(sessions, "_now", lambda: start + absolute + 1)
    assert not signed_in(client.get("/proposals/"))


def test_pages_and_downloads_are_not_cached(client, make):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    client.login(make.user(Role.ADMIN))
    assert client.get("/proposals/").headers["Cache-Control"] == "no-store"
    download = client.get("/admin/audit.xlsx")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    with client.get("/static/app.css") as asset:
        assert "no-store" not in asset.headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in client.get("/login").headers  # plain HTTP in development


def test_hsts_in_production(monkeypatch, tmp_path):
    from budget_eval import create_app

    monkeypatch.setenv("BUDGET_EVAL_PRODUCTION", "1")
    app = create_app({"SECRET_KEY": "x", "INSTANCE_PATH": tmp_path,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    with app.test_client() as http:
        header = http.get("/login").headers["Strict-Transport-Security"]
    assert header.startswith("max-age=31536000")
