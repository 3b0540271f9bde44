"""The expert pool's form (专家库): one record per expert, specialties from rules/experts.yaml."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


INVALID = "选项无效，请重新选择"


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes, each with its own <label for>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = []
            raise ValueError(INVALID) from None

    def pre_validate(self, form) -> None:
        values = {str(c[0]) if isinstance(c, tuple) else str(c.value) for c in (self.choices or [])}
        for value in self.data or []:
            if str(value) not in values:
                raise ValidationError(INVALID)


class ExpertForm(FlaskForm):
    user_id = SelectField("登录账号", coerce=int, validators=[DataRequired("请选择专家的登录账号")])
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=64, message="姓名不超过64字")])
    organisation = StringField("工作单位", validators=[DataRequired("请填写工作单位"),
                                                   Length(max=100, message="工作单位不超过100字")])
    title = StringField("职称", validators=[DataRequired("请填写职称"), Length(max=50, message="职称不超过50字")])
    specialties = CheckboxList("专业领域", validators=[DataRequired("请至少选择一个专业领域")])
    phone = StringField("联系电话", validators=[Optional(), Length(max=40, message="联系电话不超过40字"),
                                            Regexp(r"^[0-9+\-() ]*$", message="联系电话只能包含数字、空格和 + - ( )")])
    email = StringField("电子邮箱", validators=[Optional(), Length(max=120, message="电子邮箱不超过120字"),
                                            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="电子邮箱格式不正确")])
    avoid_department_ids = CheckboxList("须回避的部门", coerce=int)
    avoid_organisations = TextAreaField("须回避的其他单位",
                                        validators=[Optional(), Length(max=2000, message="不超过2000字")])
    note = TextAreaField("备注", validators=[Optional(), Length(max=2000, message="备注不超过2000字")])
    active = BooleanField("在库（参加抽取）", default=True)


def organisations(text: str | None) -> list[str]:
    """The other organisations to avoid: one a line (or separated by 、，;), blanks and repeats dropped."""
    parts = (text or "").replace("、", "\n").replace("，", "\n").replace(",", "\n").replace("；", "\n").splitlines()
    return list(dict.fromkeys(p.strip()[:100] for p in parts if p.strip()))
