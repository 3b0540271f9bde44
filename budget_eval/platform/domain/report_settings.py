"""rules/reports.yaml: the fixed wording of reports and notices, declared once (the model is what the
documents read). Assessment stores a copy with each round, so a round's report keeps the wording it was
opened with; the evaluation notices read the file as it stands."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator, StrictStr
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import Head, Int, Policy, Status, Strict, Text

REPORT_AUDIENCES = ("finance", "reviewer", "department", "meeting")
Variant = Literal["full", "panel"]


class ReportVariants(Strict):
    source: Text
    status: Status
    variants: dict[str, Text]
    audiences: dict[str, Variant]

    @model_validator(mode="after")
    def _every_audience(self) -> ReportVariants:
        missing = [a for a in REPORT_AUDIENCES if a not in self.audiences]
        if missing:
            raise PydanticCustomError("audiences", f"audiences 缺少 {'、'.join(missing)}（各受众取得的报告版本）")
        return self


class ReportsFile(Head):
    kind: Literal["reports"]
    assessing_unit: Text
    report_number: Text  # a format with {year} (of issue), {seq} (that year's counter) and {round}
    basis: Text
    methods: Text
    disclaimer: Text
    evaluation_office: Text
    city_name: Text
    response_days: Policy[Int]
    notice_components: Policy[Int]
    report_variants: ReportVariants  # which report variant each audience receives
    basis_documents: list[Text] = Field(default_factory=list)
    report_use: StrictStr = ""
    expert_pledge: StrictStr = ""
    notice_issuer_mark: StrictStr = ""
    # the notice's issuer (落款) and the document it rests on ({year}: the evaluation year), as the real notice has
    # them: 中共杭州市委 杭州市人民政府, 《杭州市2020年度综合考评实施方案》
    notice_issuer: StrictStr = ""
    notice_basis: StrictStr = ""
    notice_number: Text = "〔{year}〕{seq}号"
    notice_recipients: StrictStr = ""
    notice_cc: StrictStr = ""

    @model_validator(mode="after")
    def _formats(self) -> ReportsFile:
        for key, allowed, sample in (("report_number", "{year}、{seq}、{round}", {"year": 2027, "seq": 1, "round": 1}),
                                     ("notice_number", "{year}、{seq}", {"year": 2027, "seq": 1}),
                                     ("notice_basis", "{year}", {"year": 2027})):
            try:
                getattr(self, key).format(**sample)
            except (KeyError, IndexError, ValueError):
                raise PydanticCustomError("format", f"{key} 只能使用 {allowed}") from None
        return self

    def variant_for(self, audience: str) -> str:
        """The report variant an audience receives; an audience not declared gets none (KeyError)."""
        return self.report_variants.audiences[audience]

    def number(self, year: int | None, seq: int, round_: int) -> str:
        """报告编号: {year} the year of issue, {seq} that year's number without leading zeros."""
        return self.report_number.format(year=year or "", seq=seq, round=round_)


ReportSettings = ReportsFile
