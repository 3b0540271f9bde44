"""Bureau admins manage departments and user accounts."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from budget_eval.platform import datatable
from budget_eval.platform.datatable import Col
from budget_eval.platform.formatting import beijing_time

from budget_eval.platform.admin.forms import DepartmentForm, NO_DEPARTMENT, UserForm
from budget_eval.platform.auth import operations as auth_operations
from budget_eval.platform.auth import passwords, sessions, throttle
from budget_eval.platform.choices import options
from budget_eval.platform.domain.roles import Role, ROLE_LABELS
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.user import User, username_key
from budget_eval.platform.audit import audit
from budget_eval.platform.permissions import ROUTES, guard

bp = Blueprint("admin", __name__, url_prefix="/admin")
guard(bp, ROUTES)


def _department_choices(exclude: int | None = None) -> list:
    rows = db.session.execute(select(Department.id, Department.name).order_by(Department.name)).all()
    return options([(NO_DEPARTMENT, "（无）")] + [(id_, name) for id_, name in rows if id_ != exclude])


def _name_of(column):
    other = aliased(Department)
    return select(other.name).where(other.id == column).scalar_subquery()


_USER_COUNT = select(func.count(User.id)).where(User.department_id == Department.id).scalar_subquery()
DEPARTMENTS = datatable.Spec("部门", (
    Col("name", "部门名称", lambda d: d.name, Department.name),
    Col("authority", "主管部门", lambda d: d.authority.name if d.authority else "—", _name_of(Department.authority_id)),
    Col("sector", "行业主管部门", lambda d: d.sector_authority.name if d.sector_authority else "未设",
        _name_of(Department.sector_authority_id)),
    Col("users", "用户数", lambda d: _user_count(d.id), _USER_COUNT, "integer"),
    Col("active", "状态", lambda d: "启用" if d.active else "停用", Department.active),
), default="name", tiebreak=Department.id, search=(Department.name,), search_hint="部门名称")


def _user_count(department_id: int) -> int:
    return db.session.scalar(select(func.count(User.id)).where(User.department_id == department_id)) or 0


@bp.get("/departments")
def departments():
    query = select(Department).options(joinedload(Department.authority), joinedload(Department.sector_authority))
    if datatable.exporting():
        return datatable.export_select(query, DEPARTMENTS)
    listing = datatable.from_select(query, DEPARTMENTS, per_page=50)
    ids = [d.id for d in listing.items]
    counts = dict(db.session.execute(select(User.department_id, func.count()).where(User.department_id.in_(ids))
                                     .group_by(User.department_id)).all())
    return render_template("admin/departments.html", listing=listing, user_counts=counts)


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
def edit_department(department_id: int | None):
    department = db.session.get(Department, department_id) if department_id else Department()
    if department is None:
        abort(404)
    form = DepartmentForm(obj=department if department_id else None)
    form.authority_id.choices = _department_choices(exclude=department_id)
    form.sector_authority_id.choices = _department_choices(exclude=department_id)
    if department_id and not form.is_submitted():
        form.authority_id.data = department.authority_id or NO_DEPARTMENT
        form.sector_authority_id.data = department.sector_authority_id or NO_DEPARTMENT
    if form.validate_on_submit():
        name = form.name.data.strip()
        clash = db.session.scalar(select(Department.id).where(Department.name == name, Department.id != department_id))
        if clash:
            form.name.errors.append("已有同名部门")
        else:
            before = (department.name, department.authority_id, department.active,
                      department.sector_authority_id) if department_id else None
            department.name = name
            department.authority_id = form.authority_id.data or None
            department.sector_authority_id = form.sector_authority_id.data or None
            department.active = form.active.data
            db.session.add(department)
            audit("admin", name, _department_change(before, department), current_user)
            db.session.commit()
            flash(f"已保存部门“{name}”。", "success")
            return redirect(url_for("admin.departments"))
    return render_template("admin/department_form.html", form=form, department=department)


USERS = datatable.Spec("用户", (
    Col("username", "用户名", lambda u: u.username, User.username),
    Col("name", "姓名", lambda u: u.display_name, User.display_name),
    Col("role", "角色", lambda u: ROLE_LABELS[Role(u.role)], User.role),
    Col("department", "所属部门", lambda u: u.department.name if u.department else "—", _name_of(User.department_id)),
    Col("active", "状态", lambda u: "启用" if u.active else "停用", User.active),
    Col("login", "最近登录", lambda u: beijing_time(u.last_login_at) or "—", User.last_login_at),
), default="role", tiebreak=User.username, search=(User.username, User.display_name), search_hint="用户名或姓名")


@bp.get("/users")
def users():
    query = select(User).options(joinedload(User.department))
    if datatable.exporting():
        return datatable.export_select(query, USERS)
    listing = datatable.from_select(query, USERS, per_page=50)
    waiting = throttle.throttled_names()
    return render_template("admin/users.html", listing=listing,
                           throttled={u.username for u in listing.items if u.username_key in waiting})


@bp.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    cleared = throttle.unlock(user.username_key)
    audit("admin", user.username, f"解除登录限制（{cleared}个来源地址）", current_user)
    db.session.commit()
    flash(f"已解除“{user.display_name}”的登录限制。", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int | None):
    user = db.session.get(User, user_id) if user_id else User()
    if user is None:
        abort(404)
    form = UserForm(obj=user if user_id else None)
    form.department_id.choices = _department_choices()
    if user_id and not form.is_submitted():
        form.department_id.data = user.department_id or NO_DEPARTMENT
    if form.validate_on_submit() and _user_form_consistent(form, user):
        before = _user_facts(user) if user.id is not None else None
        ended = _save_user(user, form)
        audit("admin", user.username, _user_change(before, user, bool(form.password.data), ended), current_user)
        db.session.commit()
        if ended and user.id == current_user.id:  # an admin resetting their own password stays signed in here
            login_user(user)
            sessions.start(user)
        flash(f"已保存用户“{user.display_name}”。", "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


def _department_change(before, department: Department) -> str:
    """What an admin changed on a department, for the audit line."""
    def name_of(department_id):
        found = db.session.get(Department, department_id) if department_id else None
        return found.name if found else "无"

    authority, sector = name_of(department.authority_id), name_of(department.sector_authority_id)
    if before is None:
        return f"新建部门（主管部门：{authority}；行业主管部门：{sector}；{'启用' if department.active else '停用'}）"
    changes = []
    if before[0] != department.name:
        changes.append(f"名称 {before[0]} → {department.name}")
    if before[1] != department.authority_id:
        changes.append(f"主管部门改为{authority}")
    if before[3] != department.sector_authority_id:
        changes.append(f"行业主管部门改为{sector}")
    if before[2] != department.active:
        changes.append("启用" if department.active else "停用")
    return "修改部门：" + ("；".join(changes) or "未改变")


def _user_facts(user: User) -> dict[str, str]:
    return {"用户名": user.username, "姓名": user.display_name, "角色": Role(user.role).label,
            "所属部门": user.department.name if user.department else "无", "工作单位": user.organisation or "",
            "职称": user.professional_title or "", "电子邮箱": user.email or "",
            "状态": "启用" if user.active else "停用"}


def _user_change(before: dict[str, str] | None, user: User, password: bool, ended: bool) -> str:
    """What an admin changed on an account (activated, deactivated, role, password reset …), for the audit line."""
    db.session.flush()
    if user.department_id:
        db.session.refresh(user, ["department"])
    after = _user_facts(user)
    if before is None:
        return f"新建用户（{after['角色']}，{after['所属部门']}，{after['状态']}，已设初始密码）"
    changes = []
    if before["状态"] != after["状态"]:
        changes.append("启用账号" if user.active else "停用账号")
    for field in ("角色", "所属部门", "用户名", "姓名", "工作单位", "职称", "电子邮箱"):
        if before[field] != after[field]:
            changes.append(f"{field} {before[field] or '空'} → {after[field] or '空'}")
    if password:
        changes.append("重设密码")
    if ended:
        changes.append("已结束其全部会话")
    return "修改用户：" + ("；".join(changes) or "未改变")


def _save_user(user: User, form: UserForm) -> bool:
    """Copy the form onto the user; a new password, role, department or deactivation ends their sessions."""
    before = (user.role, user.department_id, user.active)
    user.username = form.username.data.strip()
    user.display_name = form.display_name.data.strip()
    user.role = form.role.data
    user.department_id = form.department_id.data or None
    user.organisation = (form.organisation.data or "").strip()
    user.professional_title = (form.professional_title.data or "").strip()
    user.email = (form.email.data or "").strip() or None
    user.active = form.active.data
    ended = user.id is not None and before != (user.role, user.department_id, user.active)
    if ended:
        user.end_sessions()
    if form.password.data:
        auth_operations.set_password(user, form.password.data, current_user)
        ended = user.id is not None
    db.session.add(user)
    return ended


def _user_form_consistent(form: UserForm, user: User) -> bool:
    """Checks across fields and against the database; errors go onto the fields."""
    ok = True
    username = form.username.data.strip()
    clash = db.session.scalar(select(User.username).where(User.username_key == username_key(username),
                                                          User.id != user.id))
    if clash:  # compared after NFKC and case folding: `Admin` beside `admin` is refused
        form.username.errors.append("用户名已被使用" if clash == username else f"与已有用户名“{clash}”仅大小写或字形不同，请换一个")
        ok = False
    if form.role.data == Role.DEPARTMENT and not form.department_id.data:
        form.department_id.errors.append("部门填报人必须指定所属部门")
        ok = False
    if form.role.data == Role.THIRD_PARTY and not (form.organisation.data or "").strip():
        form.organisation.errors.append("第三方评估人员请填写所在评估机构（工作单位）")
        ok = False
    if user.id is None and not form.password.data:
        form.password.errors.append("新用户请设置初始密码")
        ok = False
    elif form.password.data and (problem := passwords.password_problem(form.password.data, username,
                                                                        display_name=form.display_name.data or "")):
        form.password.errors.append(problem)
        ok = False
    if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
        form.role.errors.append("不能停用自己或取消自己的管理员角色，以免无人管理系统")
        ok = False
    return ok
