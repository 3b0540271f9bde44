"""The demo's data tables: departments, one account per role, a dozen realistic proposals, survey answers.

Sample figures and texts (demo data, not policy); `budget_eval.demo` writes them.
"""
from __future__ import annotations

from budget_eval.intake.domain.intake import Target
from budget_eval.platform.domain.roles import Role

PASSWORD = "Hz-Demo@2026"  # passes the password policy (checked when seeding)

# name, authority (主管部门) or None
DEPARTMENTS = [
    ("杭州市财政局", None),
    ("杭州市综合考评委员会办公室", None),
    ("杭州市交通运输局", None),
    ("杭州市城市管理局", None),
    ("杭州市教育局", None),
    ("杭州市卫生健康委员会", None),
    ("杭州市第一人民医院", "杭州市卫生健康委员会"),
    ("杭州市生态环境局", None),
    ("杭州市民政局", None),
    ("杭州市应急管理局", None),
    ("杭州市科学技术局", None),
]

# username, display name, role, department
USERS = [
    ("admin", "周敏", Role.ADMIN, "杭州市财政局"),
    ("reviewer1", "陈立", Role.REVIEWER, "杭州市财政局"),
    ("reviewer2", "王婷", Role.REVIEWER, "杭州市财政局"),
    ("expert1", "李建国", Role.EXPERT, None),
    ("expert2", "赵慧", Role.EXPERT, None),
    ("expert3", "孙涛", Role.EXPERT, None),
    ("kpb", "何静", Role.EVAL_OFFICE, "杭州市综合考评委员会办公室"),
    ("jiaotong", "刘洋", Role.DEPARTMENT, "杭州市交通运输局"),
    ("chengguan", "吴斌", Role.DEPARTMENT, "杭州市城市管理局"),
    ("jiaoyu", "郑丽", Role.DEPARTMENT, "杭州市教育局"),
    ("weijian", "冯磊", Role.DEPARTMENT, "杭州市卫生健康委员会"),
    ("yiyuan", "许静", Role.DEPARTMENT, "杭州市第一人民医院"),
    ("shengtai", "蒋峰", Role.DEPARTMENT, "杭州市生态环境局"),
    ("minzheng", "沈芳", Role.DEPARTMENT, "杭州市民政局"),
    ("yingji", "韩冬", Role.DEPARTMENT, "杭州市应急管理局"),
    ("keji", "杨帆", Role.DEPARTMENT, "杭州市科学技术局"),
    ("zixun", "钱伟", Role.THIRD_PARTY, None),  # staff of a commissioned 第三方评估机构 (demo/route.py)
]

BASES = {"产出指标": "实施方案及可行性研究报告", "效益指标": "行业统计数据及测算", "成本指标": "概算及同类项目造价",
         "满意度指标": "往年满意度调查结果"}


def T(level1: str, level2: str, name: str, value: str, unit: str, year: int | None = None) -> Target:
    """A demo target: "≥20" reads as comparator ≥ and value 20; a date as ≤; words as 定性."""
    if value[:1] in "≥≤=":
        comparator, value = value[0], value[1:]
    elif "年" in value:
        comparator = "≤"
    else:
        comparator = "=" if value.replace(".", "").isdigit() else "定性"
    return Target(level1, level2, name, value, "" if unit == "—" else unit, comparator, BASES[level1], year)


# username, submit?, draft fields, this level's fiscal funds by year {year: 万元}, total investment by source, targets
PROPOSALS = [
    ("jiaotong", True, dict(name="城西综合交通枢纽配套道路工程", category="infra", is_new=True, start_year=2027, end_year=2029),
     {2027: "8000", 2028: "10000", 2029: "7000"}, {"general": "15000", "bond": "10000"},
     [T("产出指标", "数量指标", "新建道路里程", "12.5", "公里"), T("产出指标", "时效指标", "主线通车时间", "2029年6月前", "日期"),
      T("效益指标", "社会效益指标", "枢纽高峰时段通行时间缩短", "≥20", "%"), T("成本指标", "经济成本指标", "每公里建设成本", "≤2000", "万元/公里"),
      T("产出指标", "数量指标", "当年完成路基工程", "≥4", "公里", 2027), T("满意度指标", "服务对象满意度指标", "沿线居民满意度", "≥90", "%")]),
    ("jiaotong", True, dict(name="主城区交通信号智能控制系统升级", category="other", is_new=True, start_year=2027, end_year=2028),
     {2027: "800", 2028: "650"}, {"general": "1450"},
     [T("产出指标", "数量指标", "改造信号控制路口", "320", "个"), T("效益指标", "社会效益指标", "主干道平均车速提升", "≥8", "%"),
      T("满意度指标", "服务对象满意度指标", "市民出行满意度", "≥85", "%")]),
    ("chengguan", True, dict(name="天子岭生活垃圾分类处置中心扩建工程", category="infra", is_new=True, start_year=2027, end_year=2030),
     {2027: "9000", 2028: "12000", 2029: "8000", 2030: "3000"}, {"fund": "20000", "bond": "12000"},
     [T("产出指标", "数量指标", "新增日处理能力", "1500", "吨/日"), T("产出指标", "质量指标", "排放达标率", "100", "%"),
      T("效益指标", "生态效益指标", "原生垃圾零填埋", "实现", "—"), T("满意度指标", "服务对象满意度指标", "周边居民满意度", "≥80", "%")]),
    ("chengguan", True, dict(name="城市道路养护（延续）", category="other", is_new=False, nature="expiring",
                             start_year=2027, end_year=2027),
     {2027: "5200"}, {"general": "5200"},
     [T("产出指标", "数量指标", "养护道路面积", "860", "万平方米"), T("效益指标", "社会效益指标", "道路完好率", "≥98", "%")]),
    ("jiaoyu", False, dict(name="中小学食堂提升改造", category="other", is_new=True, start_year=2027, end_year=2027),
     {2027: "700"}, {"general": "700", "self": "160"},
     [T("产出指标", "数量指标", "改造食堂", "46", "所")]),
    ("jiaoyu", True, dict(name="学前教育普惠性民办园补助政策", category="policy", is_new=True, start_year=2027, end_year=2029),
     {2027: "1000", 2028: "1000", 2029: "1000"}, {"general": "3000", "transfer": "600"},
     [T("产出指标", "数量指标", "受补助普惠性民办园", "180", "所"), T("效益指标", "社会效益指标", "普惠性幼儿园在园幼儿占比", "≥90", "%"),
      T("满意度指标", "服务对象满意度指标", "家长满意度", "≥90", "%")]),
    ("weijian", True, dict(name="基层医疗卫生机构服务能力提升", category="other", is_new=False, start_year=2027, end_year=2028),
     {2027: "2000", 2028: "2000"}, {"general": "4000", "transfer": "1000"},
     [T("产出指标", "数量指标", "达标社区卫生服务中心", "60", "家"), T("效益指标", "社会效益指标", "基层就诊率", "≥65", "%")]),
    ("yiyuan", False, dict(name="门急诊综合楼改扩建工程", category="infra", is_new=True, start_year=2027, end_year=2030),
     {2027: "3000", 2028: "5000", 2029: "4000", 2030: "2000"}, {"general": "14000", "self": "6000"},
     [T("产出指标", "数量指标", "新增建筑面积", "5.2", "万平方米"), T("效益指标", "社会效益指标", "门诊候诊时间缩短", "≥30", "%")]),
    ("shengtai", True, dict(name="大气环境质量监测网络加密建设", category="other", is_new=True, start_year=2027, end_year=2027),
     {2027: "960"}, {"general": "960"},
     [T("产出指标", "数量指标", "新建微型监测站", "200", "个"), T("产出指标", "质量指标", "数据有效率", "≥90", "%")]),
    ("minzheng", True, dict(name="老年助餐服务补贴政策", category="policy", is_new=True, start_year=2027, end_year=2028,
                            amount_estimated=True, estimate_basis="约1万名老年人×每月20餐×每餐补助5元×12个月，每年约1200万元"),
     {2027: "1200", 2028: "1200"}, {"general": "2400"},
     [T("产出指标", "数量指标", "助餐服务点", "1200", "个"), T("效益指标", "社会效益指标", "受益老年人", "≥8", "万人次/月"),
      T("成本指标", "经济成本指标", "每餐补助标准", "≤5", "元/餐"), T("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90", "%")]),
    ("yingji", True, dict(name="防汛防台应急物资储备补充", category="other", is_new=True, start_year=2027, end_year=2027,
                          is_emergency=True, emergency_reason="入汛前须补齐防汛防台物资，经市防指会议确定为急需事项"),
     {2027: "1500"}, {"general": "1500"},
     [T("产出指标", "数量指标", "补充冲锋舟", "60", "艘"), T("产出指标", "时效指标", "物资入库时间", "2027年4月底前", "日期")]),
    ("keji", True, dict(name="科技企业孵化器运营补助政策", category="policy", is_new=True, start_year=2027, end_year=2027),
     {2027: "3000"}, {"general": "3000"},
     [T("产出指标", "数量指标", "补助孵化器", "45", "家"), T("效益指标", "经济效益指标", "在孵企业新增研发投入", "≥3", "亿元")]),
]

TEXTS = dict(
    basis_text="依据《杭州市国民经济和社会发展第十五个五年规划纲要》及部门年度工作计划，项目与部门职能直接相关。",
    plan_text="由部门成立项目领导小组，按“前期—实施—验收”三个阶段推进，明确责任分工和进度节点。",
    budget_text="按照现行定额标准和市场询价测算，详见预算明细表。",
)

SURVEY_GROUPS = ["党代表", "人大代表", "企业代表", "社区负责人", "市民代表", "市民代表", "市民代表"]
SURVEY_ANSWERS = ["满意", "满意", "满意", "比较满意", "比较满意", "基本满意", "不满意", "不了解"]
