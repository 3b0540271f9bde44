"""Admins manage departments and users; nobody else can."""
import pytest
from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User
from tests.web.client import WebClient
from tests.web.factories import PASSWORD


@pytest.fixture
def admin(client, make):
    user = make.user(Role.ADMIN)
    client.login(user)
    return user


def test_admin_creates_a_department_with_its_authority(client, admin, make):
    authority = make.department("杭州市卫生健康委员会")
    response = client.post("/admin/departments/new", {"name": "杭州市第一人民医院", "authority_id": authority.id, "active": "y"})
    assert response.status_code == 302
    hospital = db.session.scalar(select(Department).where(Department.name == "杭州市第一人民医院"))
    assert hospital.authority_id == authority.id
    assert "杭州市第一人民医院" in client.text("/admin/departments")


def test_duplicate_department_name_is_refused(client, admin, make):
    make.department("杭州市教育局")
    page = client.post("/admin/departments/new", {"name": "杭州市教育局"}).get_data(as_text=True)
    assert "已有同名部门" in page
    assert db.session.scalar(select(func.count()).select_from(Department)) == 1


def test_admin_creates_a_department_user_who_can_sign_in(client, admin, make, app):
    department = make.department()
    response = client.post("/admin/users/new", {
        "username": "zhangsan", "display_name": "张三", "role": "department",
        "department_id": department.id, "password": "s3cret-passphrase", "active": "y",
    })
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "zhangsan"))
    assert user.department_id == department.id and user.password_hash != "s3cret-passphrase"
    other = WebClient(app)
    assert other.post("/login", {"username": "zhangsan", "password": "s3cret-passphrase"}).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "department", "department_id": "0"}, "部门填报人必须指定所属部门"),
        ({"username": "a b"}, "用户名为3至64位"),
        ({"password": ""}, "新用户请设置初始密码"),
        ({"password": "short"}, "密码至少12位"),
        ({"password": "1234567890"}, "密码至少12位"),
        ({"password": "123456789012"}, "过于常见"),
        ({"password": "Qwertyuiop12"}, "过于常见"),
        ({"password": "LiSi-2026-pw"}, "不能包含用户名"),
        ({"display_name": ""}, "请填写姓名"),
    ],
)
def test_user_form_errors_are_chinese_and_nothing_is_saved(client, admin, fields, message):
    data = {"username": "lisi", "display_name": "李四", "role": "reviewer", "department_id": "0",
            "password": "long-enough-1", "active": "y"}
    data.update(fields)
    page = client.post("/admin/users/new", data).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(User).where(User.username == "lisi")) is None


def test_duplicate_username_is_refused(client, admin, make):
    existing = make.user(Role.REVIEWER)
    page = client.post("/admin/users/new", {"username": existing.username, "display_name": "x", "role": "reviewer",
                                            "department_id": "0", "password": "long-enough-1"}).get_data(as_text=True)
    assert "用户名已被使用" in page


def test_admin_cannot_lock_themselves_out(client, admin):
    page = client.post(f"/admin/users/{admin.id}/edit", {"username": admin.username, "display_name": "x",
                                                          "role": "reviewer", "department_id": "0"}).get_data(as_text=True)
    assert "不能停用自己" in page
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_editing_without_password_keeps_it(client, admin, make):
    user = make.user(Role.REVIEWER)
    old_hash = user.password_hash
    response = client.post(f"/admin/users/{user.id}/edit", {"username": user.username, "display_name": "新名字",
                                                             "role": "expert", "department_id": "0", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.role, user.password_hash) == ("新名字", "expert", old_hash)


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.REVIEWER, Role.EXPERT, Role.EVAL_OFFICE])
def test_other_roles_cannot_manage_accounts(client, make, role):
    client.login(make.user(role))
    for url in ("/admin/users", "/admin/users/new", "/admin/departments", "/admin/departments/new"):
        assert client.get(url).status_code == 403, url
    response = client.post("/admin/users/new", {"username": "intruder", "display_name": "x", "role": "admin",
                                                "department_id": "0", "password": "long-enough-1"})
    assert response.status_code == 403
    assert db.session.scalar(select(User).where(User.username == "intruder")) is None


def test_create_admin_command(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "root", "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "root"))
    assert user.role == Role.ADMIN and user.check_password("long-enough-1")
    again = app.test_cli_runner().invoke(args=["create-admin", "--username", "root", "--password", "long-enough-1"])
    assert again.exit_code != 0 and "已存在" in again.output


def test_password_is_hashed(make):
    user = make.user(Role.REVIEWER)
    assert PASSWORD not in user.password_hash and user.check_password(PASSWORD)
