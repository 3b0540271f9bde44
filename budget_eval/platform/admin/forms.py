from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from budget_eval.platform.choices import options
from budget_eval.platform.domain.roles import ROLE_LABELS

NO_DEPARTMENT = 0


class DepartmentForm(FlaskForm):
    name = StringField("部门名称", validators=[DataRequired("请填写部门名称"), Length(max=100, message="部门名称不超过100字")])
    authority_id = SelectField("主管部门", coerce=int, default=NO_DEPARTMENT)
    sector_authority_id = SelectField("行业主管部门", coerce=int, default=NO_DEPARTMENT)
    active = BooleanField("启用", default=True)


class UserForm(FlaskForm):
    username = StringField(
        "用户名",
        validators=[
            DataRequired("请填写用户名"),
            Regexp(r"^[A-Za-z0-9_.\-]{3,64}$", message="用户名为3至64位字母、数字、下划线、点或连字符"),
        ],
    )
    display_name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64, message="姓名不超过64字")])
    role = SelectField("角色", choices=options((code.value, label) for code, label in ROLE_LABELS.items()))
    department_id = SelectField("所属部门", coerce=int, default=NO_DEPARTMENT)
    organisation = StringField("工作单位", validators=[Optional(), Length(max=100, message="工作单位不超过100字")])
    professional_title = StringField("职称", validators=[Optional(), Length(max=50, message="职称不超过50字")])
    email = StringField("电子邮箱", filters=[lambda value: value.strip() if value else value], validators=[
        Optional(), Length(max=254, message="电子邮箱不超过254个字符"),
        Regexp(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+$", message="请填写有效的电子邮箱，如 zhangsan@example.gov.cn")])
    active = BooleanField("启用", default=True)
    password = PasswordField(
        "密码", validators=[Optional()]
    )
