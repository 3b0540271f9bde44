"""Demo panels that look like real ones: experts with 单位 and 职称, scores that differ by reviewer and by
dimension, reasons per indicator and overall opinions of realistic length, and fuller project texts.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from budget_eval.intake.models import Proposal
    from budget_eval.platform.models.user import User

# username: (工作单位, 职称)
AFFILIATIONS = {
    "admin": ("杭州市财政局预算绩效管理处", "高级会计师"),
    "reviewer1": ("杭州市财政局预算处", "高级会计师"),
    "reviewer2": ("杭州市财政局预算绩效管理处", "会计师"),
    "expert1": ("浙江大学公共管理学院", "教授"),
    "expert2": ("杭州明正会计师事务所", "注册会计师、高级会计师"),
    "expert3": ("杭州市城市规划设计研究院", "正高级工程师"),
    "zixun": ("浙江求是工程咨询有限公司", "高级工程师"),
}

# how a dimension usually fares against the panel's level (points out of 10 per indicator)
DIMENSION_OFFSET = {"necessity": Decimal("0.6"), "economy": Decimal("-0.9"), "targets": Decimal("-0.4"),
                    "plan": Decimal("0.2"), "funding": Decimal("0.3")}
REVIEWER_OFFSET = (Decimal("0"), Decimal("-0.5"), Decimal("0.3"), Decimal("-0.2"))
INDICATOR_OFFSET = (Decimal("0.2"), Decimal("-0.3"))

REASONS = {
    "necessity": ("项目与城市总体规划和部门职责相符，立项依据较充分。",
                  "已提供可行性研究报告和专家论证意见，但风险评估内容较简略。",
                  "与现有同类项目边界清楚，未发现重复安排。"),
    "economy": ("部分设备单价高于近期同类采购价格，测算依据需补充询价记录。",
                "预算明细较清晰，但工程建设其他费用计提比例偏高。",
                "未充分说明分年度资金需求与建设进度的匹配关系。"),
    "targets": ("产出指标较完整，效益指标多为定性表述，可衡量性不足。",
                "满意度指标目标值未说明测算依据。",
                "时效指标应明确到季度节点。"),
    "plan": ("组织架构和职责分工明确，进度安排基本合理。",
             "对征地拆迁等外部风险的应对措施需进一步细化。",
             "项目管理和资金管理制度健全。"),
    "funding": ("资金来源合法合规，专项债券额度需与发行计划衔接。",
                "财政承受能力论证较充分，未发现新增隐性债务风险。",
                "配套资金落实情况需提供书面说明。"),
}

# a policy (政策) is judged on its basis, support measures and sustainability, not on unit prices
POLICY_REASONS = {
    "necessity": ("政策目标与市委市政府关于孵化器高质量发展的部署一致，设立依据充分。",
                  "与现行科技企业扶持政策边界基本清楚，但与区级补助的衔接需说明。",
                  "已开展同类城市政策比较，征求意见范围可进一步扩大。"),
    "economy": ("补助标准参照近三年考核结果测算，资金需求测算依据较充分。",
                "分档补助标准的上限设置理由需补充说明。",
                "考核、核查等配套保障措施明确。"),
    "targets": ("产出指标明确，效益指标“新增研发投入”的基数和统计口径需说明。",
                "满意度指标目标值未说明测算依据。",
                "绩效目标与补助资金规模基本匹配。"),
    "plan": ("由市科学技术局组织考核，第三方核查数据，实施路径清晰。",
             "对孵化器退出和资金追回机制的规定需细化。",
             "政策执行期和评估节点安排合理。"),
    "funding": ("资金来源为一般公共预算，合法合规。",
                "财政承受能力论证较充分，未发现新增隐性债务风险。",
                "政策到期后的延续条件需在文件中明确。"),
}

OPINIONS = (
    "该项目立项依据充分，符合城市发展规划和部门职责，实施后对缓解区域交通压力有明显作用。"
    "主要不足在于投入经济性：部分工程单价高于定额，工程建设其他费用计提比例偏高，分年度资金安排与建设进度的对应关系"
    "说明不足。绩效目标中效益指标以定性表述为主，建议补充可量化的指标值及其测算依据。建议申报单位细化预算测算，"
    "补充询价和定额依据后按程序报批。",
    "同意评估组总体意见。项目必要性较强，实施方案总体可行，但需关注以下问题：一是预算编制偏粗，部分费用未列明细；"
    "二是时效指标未明确关键节点；三是对外部风险的应对措施不够具体。建议在调整完善后予以支持。",
    "项目符合规划要求，前期工作较扎实。资金来源中专项债券部分应与年度发行计划衔接，防止资金不到位影响工期。"
    "建议进一步压减非必要支出，并将社会效益指标量化，便于事后绩效评价。",
    "申报材料基本齐全，测算依据总体可信。建议核减部分设备购置预算，并补充运行维护阶段的绩效目标。",
)

PROJECT_TEXTS = {
    "城西综合交通枢纽配套道路工程": dict(
        basis_text="城西综合交通枢纽是杭州市“十五五”综合交通规划确定的重点枢纽，预计2029年投入使用。"
                   "枢纽周边现状路网密度偏低，高峰时段主要道路饱和度超过0.9。\n"
                   "本项目列入市政府2027年重点实施计划，与市交通运输局“完善枢纽集疏运体系”的职责直接相关。",
        plan_text="建设枢纽配套道路5条，总长12.5公里，同步实施排水、照明和交通设施工程。\n"
                  "2027年完成征迁和主线开工，2028年完成主体工程，2029年6月前主线通车。由市交通运输局牵头，"
                  "沿线区政府负责征迁，设立项目指挥部统筹推进。",
        budget_text="投资估算按《浙江省市政工程概算定额》及近三年同类工程结算价测算，工程费用约占82%。\n"
                    "资金来源为一般公共预算1.5亿元、专项债券1亿元，分三年安排。"),
    "科技企业孵化器运营补助政策": dict(
        basis_text="依据市政府关于推动科技企业孵化器高质量发展的部署，对年度绩效考核优良的孵化器给予运营补助。",
        plan_text="按孵化器年度考核结果分档补助，优秀档每家最高100万元、良好档每家最高60万元；"
                  "由市科学技术局组织考核，委托第三方机构核查在孵企业数据。",
        budget_text="以2026年考核结果测算，预计优秀档20家、良好档25家，合计3000万元。"),
}


def sheet_scores(keys: list[str], base: str, reviewer: int) -> dict[str, Decimal]:
    """A reviewer's scores: the panel's level, moved by dimension, by reviewer and by indicator, 0–10."""
    level = Decimal(base)
    scores = {}
    for position, key in enumerate(keys):
        dimension = key.split(".")[0]
        value = (level + DIMENSION_OFFSET.get(dimension, Decimal(0)) + REVIEWER_OFFSET[reviewer % 4]
                 + INDICATOR_OFFSET[position % 2])
        scores[key] = min(Decimal(10), max(Decimal(0), value)).quantize(Decimal("0.1"))
    return scores


def sheet_reasons(keys: list[str], reviewer: int, policy: bool = False) -> dict[str, str]:
    reasons = {}
    for position, key in enumerate(keys):
        bank = (POLICY_REASONS if policy else REASONS).get(key.split(".")[0], ("依据较充分。",))
        reasons[key] = bank[(reviewer + position) % len(bank)]
    return reasons


POLICY_OPINIONS = (
    "政策设立必要，补助标准有测算依据，考核与核查机制较完善。建议补充分档补助上限的确定理由，明确与区级政策的衔接，"
    "并将新增研发投入指标的统计口径写入政策文件。",
    "同意予以支持。建议细化对考核不合格孵化器的退出和资金追回规定，并在政策执行期满前开展绩效评价。",
    "政策目标明确，资金来源合规。建议扩大征求意见范围，听取在孵企业对补助方式的意见。",
)


def opinion(reviewer: int, policy: bool = False) -> str:
    bank = POLICY_OPINIONS if policy else OPINIONS
    return bank[reviewer % len(bank)]


HUB_CONCLUSION = dict(
    opinion="项目建设必要性充分，实施方案总体可行，但投入经济性不足：部分工程单价高于定额，工程建设其他费用计提比例偏高，"
            "经复核核减1,200.00万元；绩效目标中效益指标可衡量性不足。",
    problems="1. 预算测算依据不足，部分单价高于定额；\n2. 时效指标未明确关键节点；\n3. 征迁等外部风险的应对措施不够具体。",
    suggestions="1. 按定额和询价结果重新测算工程费用，核减不合理支出；\n2. 将通车等关键节点细化到季度；"
                "\n3. 补充征迁风险应对预案，明确责任单位。",
)


def attach_study(proposal: Proposal, staff: User) -> None:
    import io

    from docx import Document

    from budget_eval.intake import attachments

    document = Document()
    document.add_heading(f"{proposal.name}可行性研究报告（摘要）", 1)
    document.add_paragraph("项目建设必要性、建设规模、投资估算及资金来源、效益分析。")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    attachments.store(proposal, buffer, "可行性研究报告（摘要）.docx", staff)


