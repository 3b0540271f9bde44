"""Sign-in, sign-out, CSRF and role gates."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from tests.web.factories import PASSWORD


def test_login_and_logout(client, make):
    user = make.user(Role.REVIEWER)
    response = client.login(user, through_form=True)
    assert response.headers["Location"] == "/"
    assert "退出" in client.text("/proposals/")
    assert client.post("/logout").status_code == 302
    assert client.get("/proposals/").status_code == 302  # back to the login page


def test_wrong_password_is_a_chinese_error_and_keeps_the_username(client, make):
    user = make.user(Role.REVIEWER)
    response = client.post("/login", {"username": user.username, "password": "wrong"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "用户名或密码错误" in page
    assert f'value="{user.username}"' in page


def test_inactive_account_cannot_sign_in(client, make, app):
    user = make.user(Role.REVIEWER)
    user.active = False
    db.session.commit()
    page = client.post("/login", {"username": user.username, "password": PASSWORD}).get_data(as_text=True)
    assert "该账号已停用" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, make, target):
    user = make.user(Role.REVIEWER)
    response = client.post(f"/login?next={target}", {"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next(client, make):
    user = make.user(Role.REVIEWER)
    response = client.post("/login?next=/screening/batch", {"username": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/screening/batch"


def test_csrf_is_enforced(client, make):
    """CSRF protection is on in the test configuration too; a post without the token is refused."""
    user = make.user(Role.REVIEWER)
    response = client.post("/login", {"username": user.username, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "表单可能已过期" in response.get_data(as_text=True)


def test_logout_needs_post(client, make):
    client.login(make.user(Role.REVIEWER))
    assert client.get("/logout").status_code == 405


def test_anonymous_is_sent_to_login(client):
    for url in ("/", "/proposals/", "/proposals/new", "/admin/users", "/screening/batch"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_pages_use_only_local_assets(client, make):
    pages = [client.text("/login")]
    client.login(make.user(Role.ADMIN))
    pages += [client.text(url) for url in ("/proposals/", "/admin/users", "/screening/batch")]
    for page in pages:
        assert "http://" not in page and "https://" not in page
    for asset in ("/static/app.css", "/static/app.js"):
        with client.get(asset) as response:
            assert response.status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_lands_on_its_workbench(client, make, role):
    """'/' is the 工作台 for every role (what waits for this user), and the sign-in sends there."""
    user = make.user(role)
    client.login(user)
    response = client.get("/")
    assert response.status_code == 200 and "<h1>工作台</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "nav"),
    [
        (Role.DEPARTMENT, {"项目申报", "新建申报", "综合考评"}),
        (Role.REVIEWER, {"项目申报", "我的评审", "批量筛查"}),
        (Role.ADMIN, {"项目申报", "批量筛查", "评估进度", "会议决策", "部门管理", "用户管理", "审计日志"}),
        (Role.EXPERT, {"我的评审"}),
        (Role.EVAL_OFFICE, {"部门综合考评"}),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(client, make, role, nav):
    client.login(make.user(role))
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    menu = page.split('<nav class="mainnav">')[1].split("</nav>")[0]
    for item in ("项目申报", "新建申报", "综合考评", "部门综合考评", "我的评审", "批量筛查", "评估进度", "会议决策",
                 "部门管理", "用户管理", "审计日志"):
        assert (f">{item}<" in menu) == (item in nav), item


def test_login_throttling_after_repeated_failures(client, make, app):
    """Past the free failures the next attempt must wait (even with the right password), never a hard lock."""
    user = make.user(Role.REVIEWER)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        assert "用户名或密码错误" in client.post("/login", {"username": user.username, "password": "wrong"}).get_data(True)
    response = client.post("/login", {"username": user.username, "password": PASSWORD})  # even the right one
    assert response.status_code == 429 and "登录失败次数过多" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) <= app.config["LOGIN_DELAY_SECONDS"]
    from budget_eval.platform.models.user import LoginThrottle
    from budget_eval.platform.models.types import utcnow

    # the count lives in the database: once the wait has passed, the right password signs in and clears it
    for row in db.session.scalars(select(LoginThrottle)):
        row.next_allowed_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post("/login", {"username": user.username, "password": PASSWORD}).status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(select(LoginThrottle)).all()
    assert [r for r in rows if r.username and r.address != ""] == []  # this client's count for the account: gone
    assert all(r.next_allowed_at is None or r.next_allowed_at < utcnow() for r in rows)


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    from budget_eval import create_app

    monkeypatch.setenv("BUDGET_EVAL_PRODUCTION", "1")
    app = create_app({"SECRET_KEY": "x", "INSTANCE_PATH": tmp_path,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax" and app.config["REMEMBER_COOKIE_SECURE"]
    with app.test_client() as http:
        response = http.get("/login")
        cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
