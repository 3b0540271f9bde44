"""The expert pool (专家库), kept by finance admins: the list and one form per expert (every save audited)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from budget_eval.assessment.draws import yearly_loads
from budget_eval.assessment.expert_forms import ExpertForm, organisations
from budget_eval.assessment.models import Expert
from budget_eval.assessment.permissions import ROUTES
from budget_eval.assessment.rules import expert_rules
from budget_eval.platform.audit import audit
from budget_eval.platform import datatable
from budget_eval.platform.choices import options
from budget_eval.platform.datatable import Col
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.platform.models.types import utcnow
from budget_eval.platform.models.user import User
from budget_eval.platform.permissions import guard

bp = Blueprint("experts", __name__, url_prefix="/admin/experts")
guard(bp, ROUTES)


@bp.get("/")
def index():
    rules = expert_rules()
    departments = dict(db.session.execute(select(Department.id, Department.name)).all())
    year, loads = utcnow().year, yearly_loads(utcnow().year)

    def avoided(e: Expert) -> str:
        names = [departments.get(int(i), f"#{i}") for i in e.avoid_department_ids or []]
        return "、".join([*names, *(e.avoid_organisations or [])]) or "—"

    spec = datatable.Spec("专家库", (
        Col("name", "姓名", lambda e: e.name, Expert.name),
        Col("organisation", "工作单位", lambda e: e.organisation, Expert.organisation),
        Col("title", "职称", lambda e: e.title, Expert.title),
        Col("specialties", "专业领域", lambda e: "、".join(rules.specialty_label(c) for c in e.specialties)),
        Col("contact", "联系方式", lambda e: "；".join(x for x in (e.phone, e.email) if x) or "—"),
        Col("avoid", "须回避", avoided),
        Col("load", f"{year}年评审次数", lambda e: loads.get(e.user_id, 0), kind="integer"),
        Col("active", "状态", lambda e: "在库" if e.active else "停用（不参加抽取）", Expert.active),
    ), default="name", tiebreak=Expert.id, search=(Expert.name, Expert.organisation), search_hint="姓名或工作单位")
    query = select(Expert).options(joinedload(Expert.user))
    if datatable.exporting():
        return datatable.export_select(query, spec)
    listing = datatable.from_select(query, spec, per_page=50)
    return render_template("experts/index.html", listing=listing, rules=rules, departments=departments,
                           loads=loads, year=year)


@bp.route("/new", methods=["GET", "POST"], defaults={"expert_id": None})
@bp.route("/<int:expert_id>/edit", methods=["GET", "POST"])
def edit(expert_id: int | None):
    expert = db.session.get(Expert, expert_id) if expert_id else Expert()
    if expert is None:
        abort(404)
    rules = expert_rules()
    form = ExpertForm(obj=expert if expert_id else None)
    _choices(form, expert_id, rules)
    if expert_id and not form.is_submitted():
        form.avoid_organisations.data = "\n".join(expert.avoid_organisations or [])
    if form.validate_on_submit():
        _save(expert, form)
        labels = "、".join(rules.specialty_label(c) for c in expert.specialties)
        audit("admin", expert.name, f"{'修改' if expert_id else '新增'}专家库记录：{expert.organisation}，{expert.title}，"
              f"专业领域{labels}，{'在库' if expert.active else '停用'}，须回避部门{len(expert.avoid_department_ids)}个、"
              f"其他单位{len(expert.avoid_organisations)}个", current_user)
        db.session.commit()
        flash(f"已保存专家“{expert.name}”。", "success")
        return redirect(url_for(".index"))
    return render_template("experts/form.html", form=form, expert=expert)


def _choices(form: ExpertForm, expert_id: int | None, rules) -> None:
    """The form's lists: expert accounts not yet in the pool, the specialties of rules/experts.yaml, departments."""
    taken = set(db.session.scalars(select(Expert.user_id).where(Expert.id != (expert_id or 0))))
    accounts = db.session.execute(select(User.id, User.display_name, User.username)
                                  .where(User.role == Role.EXPERT.value).order_by(User.username)).all()
    form.user_id.choices = options([(0, "（请选择）")] + [(i, f"{name}（{login}）") for i, name, login in accounts
                                                          if i not in taken])
    form.specialties.choices = options((s.code, s.label) for s in rules.specialties)
    form.avoid_department_ids.choices = options(db.session.execute(
        select(Department.id, Department.name).order_by(Department.name)).all())


def _save(expert: Expert, form: ExpertForm) -> None:
    expert.user_id = form.user_id.data
    expert.name = form.name.data.strip()
    expert.organisation = form.organisation.data.strip()
    expert.title = form.title.data.strip()
    expert.specialties = list(form.specialties.data)
    expert.phone = (form.phone.data or "").strip()
    expert.email = (form.email.data or "").strip()
    expert.avoid_department_ids = sorted(form.avoid_department_ids.data or [])
    expert.avoid_organisations = organisations(form.avoid_organisations.data)
    expert.note = (form.note.data or "").strip()
    expert.active = form.active.data
    expert.updated_at = utcnow()
    db.session.add(expert)
