"""The departmental evaluation's lifecycles: the year, innovation claims, appeals and rectification items."""
from __future__ import annotations

from enum import StrEnum

from budget_eval.platform.domain.lifecycle import Lifecycle, step

OFFICE, UNIT = "office", "unit"  # 考评办; the evaluated department's staff


class YearStatus(StrEnum):
    OPEN = "open"
    PUBLISHED = "published"


# A published year can be withdrawn (撤回, back to 考评中 with the reason on record) and, once put right, published
# again as a correction (更正公布, with its reason): which of publish / correct applies is whether it was
# published before (evaluation.operations.publish).
YEAR = Lifecycle("evaluation_year", "考评年度", YearStatus,
                 {YearStatus.OPEN: "考评中", YearStatus.PUBLISHED: "已公布"},
                 [step("publish", "公布结果", {YearStatus.OPEN}, YearStatus.PUBLISHED, {OFFICE}),
                  step("withdraw", "撤回公布", {YearStatus.PUBLISHED}, YearStatus.OPEN, {OFFICE}, needs_reason=True),
                  step("correct", "更正后重新公布", {YearStatus.OPEN}, YearStatus.PUBLISHED, {OFFICE},
                       needs_reason=True)])


class InnovationStatus(StrEnum):
    DECLARED = "declared"
    VERIFIED = "verified"
    REJECTED = "rejected"


INNOVATION = Lifecycle("innovation", "创新创优项目", InnovationStatus, {
    InnovationStatus.DECLARED: "待核验", InnovationStatus.VERIFIED: "已核验", InnovationStatus.REJECTED: "未认定"}, [
    step("verify", "核验", {InnovationStatus.DECLARED}, InnovationStatus.VERIFIED, {OFFICE}),
    step("reject", "不予认定", {InnovationStatus.DECLARED}, InnovationStatus.REJECTED, {OFFICE}, needs_reason=True),
])


class AppealStatus(StrEnum):
    FILED = "filed"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


APPEAL = Lifecycle("appeal", "申诉", AppealStatus, {
    AppealStatus.FILED: "待处理", AppealStatus.UPHELD: "申诉成立", AppealStatus.DISMISSED: "申诉不成立"}, [
    step("uphold", "申诉成立", {AppealStatus.FILED}, AppealStatus.UPHELD, {OFFICE}, needs_reason=True),
    step("dismiss", "申诉不成立", {AppealStatus.FILED}, AppealStatus.DISMISSED, {OFFICE}, needs_reason=True),
])

# The rectification item's lifecycle (承诺 → 已完成 → 已核验) is COMMITMENT in comment_lifecycles.py.
