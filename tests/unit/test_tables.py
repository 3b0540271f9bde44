"""The tolerant table reader on the spreadsheets bureaus really exchange (issue 13), through batch screening."""
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from budget_eval.intake.domain.rule_files import load_screening_rules
from budget_eval.intake.batch_screening import BatchError, read_sheet, screen_table, write_xlsx
from budget_eval.platform.tables import BLANK, NOTE, SUMMARY
from tests.shapes import TITLE, Text, csv_bytes, xls, xlsx

RULES = load_screening_rules(Path(__file__).resolve().parents[2] / "rules" / "screening.yaml")
HEAD = ["序号", "项目名称", "申报部门", "项目类别", "是否新出台", "申请财政资金（万元）", "是否应急抢险救灾"]
PROJECTS = [
    [1, "城西综合交通枢纽配套道路工程", "杭州市交通运输局", "基建投资项目", "是", 25000, "否"],
    [2, "老旧小区加装电梯补助", "杭州市住房保障和房产管理局", "政策", "是", 999.99, "否"],
    [3, "防汛应急排涝设备购置", "杭州市城市管理局", "其他项目", "是", 3000, "是"],
    [4, "社区服务中心运维", "杭州市民政局", "其他项目", "否", 1500, "否"],
    [5, "智慧交通平台", "杭州市交通运输局", "道路", "是", 1200, "否"],
]
EXPECTED = ["需要", "不需要", "免于评估", "不需要", "数据有误"]
TOTAL = sum(Decimal(str(p[5])) for p in PROJECTS)


def screened(data: bytes, name: str):
    return screen_table(read_sheet(io.BytesIO(data), name), RULES)


def outcomes(result) -> list[str]:
    return [r[0] for r in result.results]


def in_yuan(rows):
    return [[*p[:5], int(Decimal(str(p[5])) * 10000), *p[6:]] for p in rows]


def test_title_unit_row_serial_column_and_a_sum_formula_total():
    rows = [[TITLE], ["单位：万元"], HEAD, *PROJECTS, ["合计", None, None, None, None, "=SUM(F4:F8)", None]]
    data = xlsx(rows, merges=("A1:G1",), cached={"F9": str(TOTAL)})
    result = screened(data, "汇总表.xlsx")
    assert outcomes(result) == EXPECTED
    table = result.table
    assert table.title == [TITLE, "单位：万元"] and table.header_rows == (3, 3)
    assert list(table.frame.index) == [4, 5, 6, 7, 8]  # project rows by their row in the file
    assert table.skipped == {9: SUMMARY}  # the 合计 row is set aside, never 数据有误
    assert table.cells.at[9, 5] == float(TOTAL)  # the formula read by its cached value
    assert table.units["申请财政资金(万元)"].unit == "万元" and "（万元）" in table.units["申请财政资金(万元)"].source


def test_full_width_headers_spaces_and_line_breaks():
    head = ["序　号", "项目\n名称", "申报部门 ", "项目类别", "是否新出台", "申请财政资金（万元）", "是否应急\n抢险救灾"]
    rows = [head, *[[*p[:3], f" {p[3]} ", "是" if p[4] == "是" else "否", p[5], p[6]] for p in PROJECTS]]
    assert outcomes(screened(xlsx(rows), "清单.xlsx")) == EXPECTED


def test_amounts_in_yuan_from_the_header_are_converted_exactly():
    head = [*HEAD[:5], "申请财政资金(元)", HEAD[6]]
    edge = [6, "轨道交通站点接驳", "杭州市交通运输局", "基建投资项目", "是", "199,999,999.99", "否"]
    result = screened(xlsx([head, *in_yuan(PROJECTS), edge]), "清单.xlsx")
    assert outcomes(result) == [*EXPECTED, "不需要"]  # 19999.999999万元 is below 2亿元, never rounded up
    assert result.results[5][2] == Decimal("19999.999999")
    assert "19,999.999999万元" in result.results[5][1]
    assert result.table.units["申请财政资金(万元)"].unit == "元"
    assert result.results[0][2] == Decimal("25000.00")


def test_amounts_in_yuan_from_a_unit_row_and_a_cell_stating_its_own_unit():
    head = [*HEAD[:5], "申请财政资金", HEAD[6]]
    projects = in_yuan(PROJECTS)
    projects[1][5] = "2.5亿元"  # a cell that states its unit wins over the unit row
    rows = [[TITLE], [None, None, None, None, None, "单位：元"], head, *projects]
    result = screened(xlsx(rows), "清单.xlsx")
    assert outcomes(result) == ["需要", "需要", "免于评估", "不需要", "数据有误"]
    assert result.results[1][2] == Decimal("25000.00")
    unit = result.table.units["申请财政资金(万元)"]
    assert unit.unit == "元" and unit.source == "单位行“单位：元”"


def test_legacy_xls_with_a_merged_title_and_a_subtotal():
    rows = [[TITLE, None, None, None, None, None, None], ["单位：万元"], HEAD, *PROJECTS,
            ["小计", None, None, None, None, float(TOTAL), None]]
    result = screened(xls(rows, merges=((0, 0, 0, 6),)), "旧系统导出.xls")
    assert outcomes(result) == EXPECTED
    assert result.table.title == [TITLE, "单位：万元"] and result.table.skipped == {9: SUMMARY}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_or_utf8_with_a_title_row(encoding):
    rows = [[TITLE], HEAD, *[[*p[:5], f"{p[5]:,}", p[6]] for p in PROJECTS], ["合计", "", "", "", "", str(TOTAL), ""]]
    result = screened(csv_bytes(rows, encoding), "清单.csv")
    assert outcomes(result) == EXPECTED and result.table.skipped == {8: SUMMARY}


def test_two_row_header_with_merged_cells():
    top = ["序号", "项目名称", "申报单位", "项目类型", "是否新出台", "申请财政资金", None, "是否应急抢险救灾"]
    sub = [None, None, None, None, None, "合计（万元）", "其中：本年度", None]
    projects = [[*p[:6], p[5] / 2, p[6]] for p in PROJECTS]
    merges = ("A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:G2", "H2:H3")
    result = screened(xlsx([[TITLE], top, sub, *projects], merges=merges), "清单.xlsx")
    assert outcomes(result) == EXPECTED  # 合计 column read, 其中 column kept but not used
    assert result.table.header_rows == (2, 3)
    assert result.table.headers[5] == "申请财政资金合计（万元）" and result.table.headers[6] == "其中：本年度"


def test_header_and_value_synonyms_from_the_rules():
    head = ["项目名称", "申报单位", "项目类型", "新增或延续", "申请资金（万元）", "是否应急抢险救灾"]
    rows = [head, *[[*p[1:4], "新增" if p[4] == "是" else "延续", *p[5:]] for p in PROJECTS]]
    assert outcomes(screened(xlsx(rows), "清单.xlsx")) == EXPECTED


def test_blank_separator_subtotal_and_note_rows_are_reported_not_judged():
    rows = [HEAD, *PROJECTS[:2], [None] * 7, ["", "交通局小计", "", "", "", 25999.99, ""], *PROJECTS[2:],
            ["注：金额按实施期内申请财政资金合计填列。"]]
    result = screened(xlsx(rows), "清单.xlsx")
    assert outcomes(result) == EXPECTED
    assert result.table.skipped == {4: BLANK, 5: SUMMARY, 9: NOTE}
    assert result.counts["数据有误"] == 1


def test_the_sheet_holding_the_columns_is_chosen():
    notes = [["填报说明"], ["1. 金额单位为万元"], ["2. 延续项目也请列出"]]
    result = screened(xlsx([HEAD, *PROJECTS], sheets={"填报说明": notes}), "清单.xlsx")
    assert outcomes(result) == EXPECTED and result.table.sheet == "项目清单"


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"PK\x03\x04 not really a workbook", "清单.xlsx", "无法读取文件：它不是有效的 Excel"),
    (xlsx([["关于做好2027年预算编制工作的通知"], ["各部门："]]), "通知.xlsx", "未找到可识别的表头"),
    (xlsx([["序号", "名目", "经费", "备注"], [1, "x", 2, ""]]), "清单.xlsx", "未找到可识别的表头"),
    (xlsx([[TITLE], ["项目名称", "金额"], ["x", 1]]), "清单.xlsx", "表头缺少：申报部门、项目类别、是否新出台"),
    (b"%PDF-1.4", "清单.pdf", "不支持的文件类型"),
])
def test_what_is_not_the_table_gets_one_message_naming_found_and_expected(content, name, message):
    with pytest.raises(BatchError) as caught:
        read_sheet(io.BytesIO(content), name)
    text = str(caught.value)
    assert message in text and "\n" not in text
    if "表头" in message:
        assert "应包含：项目名称、申报部门、项目类别、是否新出台、申请财政资金(万元)、是否应急抢险救灾" in text
    if "缺少" in message:
        assert "第2行读到的表头为：项目名称、金额" in text


def test_output_keeps_the_title_every_row_with_its_number_and_a_summary_sheet():
    hostile = [6, Text('=HYPERLINK("http://example.com","点我")'), "杭州市交通运输局", "政策", "是", 100, "否"]
    rows = [[TITLE], ["单位：元"], [*HEAD[:5], "申请财政资金", HEAD[6]], *in_yuan(PROJECTS), [None] * 7,
            in_yuan([hostile])[0], ["合计", None, None, None, None, "=SUM(F4:F10)", None]]
    result = screened(xlsx(rows, cached={"F11": "317000000"}), "清单.xlsx")
    out = io.BytesIO()
    write_xlsx(result, out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    sheet = book["筛查结果"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0][0] == TITLE and values[1][0] == "单位：元"
    assert values[2][:3] == ["原表行号", "序号", "项目名称"] and values[2][-2:] == ["是否需事前绩效评估", "判定依据"]
    body = values[3:]
    assert [r[0] for r in body] == [4, 5, 6, 7, 8, 9, 10, 11]  # every input row, in order
    assert [r[-2] for r in body] == [*EXPECTED, "空行", "不需要", "合计行（不作判定）"]
    assert "25,000.00万元" in body[0][-1]  # the amount read in 元, stated in 万元
    link = sheet.cell(row=9 + 1, column=3)
    assert link.value.startswith("=HYPERLINK") and link.data_type == "s"  # user text stays text
    summary = {r[0].value: r[1].value for r in book["汇总"].iter_rows()}
    assert summary["需要"] == 1 and summary["不需要"] == 3 and summary["免于评估"] == 1 and summary["数据有误"] == 1
    assert summary["合计行（不作判定）"] == "1（第11行）" and summary["空行（不作判定）"] == "1（第9行）"
    assert summary["金额单位"].startswith("元（单位行“单位：元”）")


cell_values = st.one_of(st.none(), st.text(max_size=8), st.floats(allow_nan=True, allow_infinity=True),
                        st.sampled_from(["合计", "小计", "单位：元", "2亿元", "是", "否", "政策", "项目名称", "=1+1", ""]))


@given(st.lists(st.lists(cell_values, max_size=9), max_size=12), st.booleans())
@settings(max_examples=120, deadline=None)
def test_any_sheet_reads_or_gets_one_message(body, titled):
    rows = ([[TITLE]] if titled else []) + [HEAD] + body
    try:
        result = screened(csv_bytes([["" if c is None else c for c in r] for r in rows], "utf-8"), "任意.csv")
    except BatchError as exc:
        assert str(exc)
        return
    assert len(result.results) + len(result.table.skipped) == len(result.table.cells)
    assert all(r[0] in {"需要", "不需要", "免于评估", "数据有误"} and r[1] for r in result.results)
