"""Sign-in, sign-out, CSRF and role gates."""
import pytest

from budget_eval.domain.roles import Role
from tests.web.factories import PASSWORD


def test_login_and_logout(client, make):
    user = make.user(Role.REVIEWER)
    response = client.login(user)
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
    from budget_eval.extensions import db

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


@pytest.mark.parametrize(
    ("role", "home"),
    [(Role.DEPARTMENT, "/proposals/"), (Role.REVIEWER, "/proposals/"), (Role.ADMIN, "/proposals/"),
     (Role.EXPERT, "/reviews/"), (Role.EVAL_OFFICE, "/evaluation/")],
)
def test_home_sends_each_role_to_its_work(client, make, role, home):
    client.login(make.user(role))
    assert client.get("/").headers["Location"] == home


@pytest.mark.parametrize(
    ("role", "nav"),
    [
        (Role.DEPARTMENT, {"项目申报", "新建申报", "综合考评"}),
        (Role.REVIEWER, {"项目申报", "我的评审", "批量筛查"}),
        (Role.ADMIN, {"项目申报", "批量筛查", "评估进度", "会议决策", "部门管理", "用户管理"}),
        (Role.EXPERT, {"我的评审"}),
        (Role.EVAL_OFFICE, {"部门综合考评"}),
    ],
)
def test_navigation_shows_only_what_the_role_may_use(client, make, role, nav):
    client.login(make.user(role))
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    menu = page.split('<nav class="mainnav">')[1].split("</nav>")[0]
    for item in ("项目申报", "新建申报", "综合考评", "部门综合考评", "我的评审", "批量筛查", "评估进度", "会议决策",
                 "部门管理", "用户管理"):
        assert (f">{item}<" in menu) == (item in nav), item
