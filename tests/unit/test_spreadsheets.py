"""The one spreadsheet and CSV writer: text stays text, only the app's SUMs are formulas, and the layout."""
import io

from openpyxl import load_workbook

from budget_eval.platform.spreadsheets import Column, Table, csv_bytes, display_width, xlsx

HOSTILE = ['=HYPERLINK("http://x","点击")', "=WEBSERVICE(\"http://x\")", "@SUM(1)", "+1", "-1", "\t=1", "\r=1"]


def test_text_is_never_a_formula_and_numbers_stay_numbers():
    columns = [Column("名称", "text"), Column("金额(万元)", "money"), Column("备注")]
    rows = [(h, 12.5, h) for h in HOSTILE] + [("控制字符\x07\x0b", -1, -1)]
    sheet = load_workbook(io.BytesIO(xlsx(Table("测试", columns, rows)))).active
    values = [(c.value, c.data_type) for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(t != "f" for _, t in values)
    assert sheet["A2"].value == HOSTILE[0] and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["B2"].value == 12.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["A9"].value == "控制字符" and sheet["C9"].value == -1 and sheet["C9"].data_type == "n"
    assert sheet["B1"].value == "金额（万元）"  # the full-width unit, as in the Word documents


def test_layout_title_totals_and_printing():
    columns = [Column("序号", "integer"), Column("项目名称", "text"), Column("申请资金", "money"), Column("主要意见", "text")]
    rows = [(1, "城西综合交通枢纽配套道路工程", 25000, "意" * 300), (2, "项目乙", 1000.5, "短")]
    data = xlsx(Table("汇总表", columns, rows, title="2027年第3次会议 汇总表", total_label="合计", total_note="2个项目",
                      sums=("申请资金",)))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "汇总表" and "A1:D1" in [str(r) for r in sheet.merged_cells.ranges]
    assert sheet["C5"].value == "=SUM(C3:C4)" and sheet["A5"].value == "合计" and sheet["B5"].value == "2个项目"
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["B"].width == display_width("城西综合交通枢纽配套道路工程") + 2  # CJK counts double
    assert sheet.column_dimensions["D"].width == 50 and sheet["D3"].alignment.wrap_text
    assert sheet["C3"].alignment.horizontal == "right" and sheet["B3"].border.left.style == "thin"
    narrow = load_workbook(io.BytesIO(xlsx(Table("窄表", columns[:2], rows)))).active
    assert narrow.page_setup.orientation == "portrait" and narrow.freeze_panes == "A2"


def test_csv_cells_that_look_like_formulas_are_neutralised():
    data = csv_bytes(["名称", "数"], [(h, -1) for h in HOSTILE] + [("正常", 2)])
    text = data.decode("utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    for h in HOSTILE:
        assert ("'" + h).replace('"', '""') in text
    assert "\r\n正常,2\r\n" in text and ",-1\r\n" in text  # numbers are numbers, not text
