"""The proposal form, built from the rule files so new sources or categories need no code change."""
from __future__ import annotations

from functools import lru_cache

from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from budget_eval.platform.choices import options
from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target
from budget_eval.intake.domain.rule_files import IntakeRules, ScreeningRules
from budget_eval.intake.domain.cost_lines import CostLine
from budget_eval.intake.domain.economy_rules import EconomyFile as EconomyRules
from budget_eval.intake.fields import (
    amount_and_unit, Amount, Quantity, to_amount, to_quantity, to_yuan, to_year, Year, Yuan,
)
from budget_eval.intake.rules import economy_rules
from budget_eval.platform.domain.money import format_wan, format_yi, probably_yuan

TARGET_TEXTS = ("level1", "level2", "name", "value", "unit", "comparator", "basis")

TEXT_LIMIT = 30000  # characters per narrative field
MAX_TARGET_ROWS = 100
NEW = ("new", "新出台")
CONTINUING_CASES = ("continuing", "expiring", "changed")  # silent cases of rules/screening.yaml a proposal can be


class FundYearForm(Form):
    year = StringField("年度", validators=[Year()])
    amount = StringField("申请财政资金（万元）", validators=[Amount()])

    def validate_amount(self, field):
        if bool((self.year.data or "").strip()) != bool((field.data or "").strip()):
            raise ValidationError("请同时填写年度和金额")


class TargetForm(Form):
    level1 = SelectField("一级指标", validate_choice=False)
    level2 = SelectField("二级指标", validate_choice=False)
    name = StringField("三级指标", validators=[Length(max=200, message="不超过200字")])
    comparator = SelectField("比较方式", validate_choice=False)
    value = StringField("指标值", validators=[Length(max=100, message="不超过100字")])
    unit = StringField("计量单位", validators=[Length(max=30, message="不超过30字")])
    basis = StringField("指标值设定依据", validators=[Length(max=500, message="不超过500字")])
    year = StringField("所属年度", validators=[Year()])


class CostLineForm(Form):
    item = StringField("费用项目", validators=[Length(max=200, message="不超过200字")])
    quantity = StringField("数量", validators=[Quantity()])
    unit = StringField("计量单位", validators=[Length(max=30, message="不超过30字")])
    unit_price = StringField("单价（元）", validators=[Yuan()])
    amount = StringField("金额（万元）", validators=[Amount()])
    basis = SelectField("测算依据类型", validate_choice=False)
    document = StringField("依据文件", validators=[Length(max=500, message="不超过500字")])
    target = StringField("对应产出指标", validators=[Length(max=200, message="不超过200字")])


class ProposalFormBase(FlaskForm):
    name = StringField("项目名称", validators=[Length(max=200, message="项目名称不超过200字")])
    year = StringField("预算年度", validators=[Year()])
    category = RadioField("项目类别", validate_choice=False)
    is_new = RadioField("新出台或延续", validate_choice=False)
    is_midyear = BooleanField("在年中预算调整中新增")
    is_emergency = BooleanField("属于应急、抢险、救灾急需事项")
    amount_estimated = BooleanField("资金需求无固定金额，所填金额为估算")
    estimate_basis = TextAreaField("测算依据", validators=[Length(max=2000, message="不超过2000字")])
    confirm_amounts = BooleanField("已核对：不带单位的金额均以万元计")
    emergency_reason = TextAreaField("应急事由", validators=[Length(max=2000, message="不超过2000字")])
    start_year = StringField("实施期开始年度", validators=[Year()])
    end_year = StringField("实施期结束年度", validators=[Year()])
    fund_years = FieldList(FormField(FundYearForm), min_entries=1)
    basis_text = TextAreaField("立项依据及必要性", validators=[Length(max=TEXT_LIMIT, message=f"不超过{TEXT_LIMIT}字")])
    plan_text = TextAreaField("实施方案", validators=[Length(max=TEXT_LIMIT, message=f"不超过{TEXT_LIMIT}字")])
    budget_text = TextAreaField("预算测算依据", validators=[Length(max=TEXT_LIMIT, message=f"不超过{TEXT_LIMIT}字")])
    targets = FieldList(FormField(TargetForm), min_entries=3)
    cost_lines = FieldList(FormField(CostLineForm), min_entries=3)

    intake: IntakeRules
    screening: ScreeningRules
    economy: EconomyRules

    def validate_category(self, field):
        if field.data and field.data not in {c.code for c in self.screening.categories}:
            raise ValidationError("请选择有效的项目类别")

    def validate_is_new(self, field):
        if field.data and field.data not in {choice.value for choice in self.is_new.choices}:
            raise ValidationError("请选择新出台或延续")

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: a bare figure so large it was probably typed in 元 needs the confirmation."""
        valid = super().validate(extra_validators)
        if self.confirm_amounts.data:
            return valid
        line = self.intake.probable_yuan_min_wan
        fields = [row.amount for row in self.fund_years] + list(self.sources.form)
        for field in fields:
            if not field.errors and probably_yuan(*amount_and_unit(field.data), line):
                amount = to_amount(field.data)
                field.errors = [*field.errors, f"{format_wan(amount)}（{format_yi(amount)}）数额很大，可能是按元填写。"
                                f"按元请写“{(field.data or '').strip()}元”；确为万元请勾选“已核对”后再保存"]
                valid = False
        return valid

    def validate_fund_years(self, field):
        if len(field.entries) > self.intake.max_period_years:
            raise ValidationError(f"最多填写{self.intake.max_period_years}个年度")

    def validate_cost_lines(self, field):
        if len(field.entries) > MAX_TARGET_ROWS:
            raise ValidationError(f"费用明细最多{MAX_TARGET_ROWS}行")
        codes = {b.code for b in self.economy.cost_bases}
        for entry in field.entries:
            if entry.basis.data and entry.basis.data not in codes:
                entry.basis.errors = [*entry.basis.errors, "请选择有效的测算依据类型"]
                raise ValidationError("费用明细中有无效的测算依据类型")

    def validate_targets(self, field):
        levels = {level.label for level in self.intake.indicator_levels}
        if len(field.entries) > MAX_TARGET_ROWS:
            raise ValidationError(f"绩效目标最多{MAX_TARGET_ROWS}行")
        for entry in field.entries:
            if entry.level1.data and entry.level1.data not in levels:
                entry.level1.errors = [*entry.level1.errors, "请选择有效的一级指标"]
                raise ValidationError("绩效目标表中有无效的一级指标")

    def to_draft(self) -> ProposalDraft:
        """Convert validated form data to the domain's plain data."""
        fund_years = tuple(
            FundYear(to_year(row.year.data), to_amount(row.amount.data))
            for row in self.fund_years
            if (row.year.data or "").strip()
        )
        sources = {
            code: amount
            for code, field in self.sources.form._fields.items()
            if (amount := to_amount(field.data)) is not None
        }
        targets = tuple(
            Target(*(str(row.form[key].data or "").strip() for key in TARGET_TEXTS), year=to_year(row.year.data))
            for row in self.targets
        )
        cost_lines = tuple(
            CostLine((row.item.data or "").strip(), to_quantity(row.quantity.data), (row.unit.data or "").strip(),
                     to_yuan(row.unit_price.data), to_amount(row.amount.data), row.basis.data or "",
                     (row.document.data or "").strip(), (row.target.data or "").strip())
            for row in self.cost_lines
        )
        return ProposalDraft(
            cost_lines=tuple(c for c in cost_lines if not c.is_blank()),
            name=(self.name.data or "").strip(),
            year=to_year(self.year.data),
            category=self.category.data or "",
            is_new=None if not self.is_new.data else self.is_new.data == NEW[0],
            nature="" if self.is_new.data in ("", None, NEW[0]) else self.is_new.data,
            is_midyear=bool(self.is_midyear.data),
            is_emergency=bool(self.is_emergency.data),
            emergency_reason=(self.emergency_reason.data or "").strip(),
            amount_estimated=bool(self.amount_estimated.data),
            estimate_basis=(self.estimate_basis.data or "").strip(),
            start_year=to_year(self.start_year.data),
            end_year=to_year(self.end_year.data),
            fund_years=fund_years,
            sources=sources,
            basis_text=self.basis_text.data or "",
            plan_text=self.plan_text.data or "",
            budget_text=self.budget_text.data or "",
            targets=tuple(t for t in targets if not t.is_blank()),
        )

    def add_problems(self, problems: list[tuple[str, str]]) -> None:
        """Put domain problems onto the fields they concern ("targets-2-unit" → that cell)."""
        for key, message in problems:
            field = self._field_at(key)
            if isinstance(field, FieldList | FormField):
                self.section_errors.setdefault(key, []).append(message)
            else:
                field.errors = [*field.errors, message]

    @property
    def section_errors(self) -> dict[str, list[str]]:
        """Messages about a whole table (funds, sources, targets) rather than one cell."""
        if not hasattr(self, "_section_errors"):
            self._section_errors = {}
            for key in ("fund_years", "targets", "cost_lines"):
                messages = [e for e in self[key].errors if isinstance(e, str)]
                if messages:
                    self._section_errors[key] = messages
        return self._section_errors

    def _field_at(self, key: str):
        head, *rest = key.split("-")
        field = self[head]
        if rest:
            entry = field.entries[int(rest[0])]
            field = entry.form[rest[1]] if len(rest) > 1 else entry
        return field


def proposal_form(intake: IntakeRules, screening: ScreeningRules, economy: EconomyRules | None = None,
                  **kwargs) -> ProposalFormBase:
    """Build a proposal form for the current rule files."""
    form = _form_class(intake)(**kwargs)
    form.intake, form.screening = intake, screening
    form.economy = economy or economy_rules()
    bases = options([("", "请选择")] + [(b.code, b.label) for b in form.economy.cost_bases])
    for entry in form.cost_lines:
        entry.form.basis.choices = bases
    form.category.choices = options((c.code, c.label) for c in screening.categories)
    form.is_new.choices = options([NEW] + [(code, screening.silent_cases[code].label) for code in CONTINUING_CASES
                                           if code in screening.silent_cases])
    comparators = options([("", "请选择")] + [(c, c) for c in intake.comparators])
    level1 = options([("", "请选择")] + [(level.label, level.label) for level in intake.indicator_levels])
    level2 = options([("", "请选择")] + [(c, c) for level in intake.indicator_levels for c in level.children])
    for entry in form.targets:
        entry.form.level1.choices, entry.form.level2.choices = level1, level2
        entry.form.comparator.choices = comparators
    return form


@lru_cache(maxsize=8)
def _form_class(intake: IntakeRules) -> type[ProposalFormBase]:
    """One amount field per funding source in rules/intake.yaml."""
    sources = type(
        "SourcesForm",
        (Form,),
        {s.code: StringField(s.label, validators=[Amount()]) for s in intake.funding_sources},
    )
    return type("ProposalForm", (ProposalFormBase,), {"sources": FormField(sources)})
