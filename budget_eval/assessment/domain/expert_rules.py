"""The typed declaration of rules/experts.yaml: the expert pool's specialties, the draw's defaults and the pledge
(re-exported by rule_files, where every assessment rule file is declared)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from budget_eval.platform.domain.rule_types import Head, Int, Policy, Source, Strict, Text


class Specialty(Strict):
    code: Text
    label: Text


class Pledge(Strict):
    """The 回避与保密承诺 a reviewer signs in the app before any material opens (its text, with its source)."""

    title: Text
    status: Literal["法定", "惯例", "本局自定"]
    source: Text
    text: Text


class ExpertsFile(Head):
    """rules/experts.yaml: the expert pool's specialties, the draw's default size and yearly load limit, and the
    pledge every reviewer signs."""

    kind: Literal["experts"]
    specialties_source: Source
    specialties: list[Specialty] = Field(min_length=1)
    default_panel_size: Policy[Int]
    yearly_load_limit: Policy[Int]
    pledge: Pledge

    @model_validator(mode="after")
    def _unique(self) -> ExpertsFile:
        codes = [s.code for s in self.specialties]
        if len(set(codes)) != len(codes):
            raise PydanticCustomError("specialties", "专业领域代码重复")
        if self.default_panel_size < 1 or self.yearly_load_limit < 1:
            raise PydanticCustomError("sizes", "抽取人数和年度评审次数上限应至少为 1")
        return self

    def specialty_label(self, code: str) -> str:
        return next((s.label for s in self.specialties if s.code == code), code)
