"""Spreadsheets people print (issue 23): the batch screening output and the audit export, as downloaded.

Long text wraps in its column (the 250-character 判定依据 prints on several lines, not across the page), the page is
A4 fitted to its width, landscape when wide, with the header rows repeated; every label is Chinese and no rule
hash or internal code (English category names) is printed.
"""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.platform.audit import audit, KINDS
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from budget_eval.platform import spreadsheets
from budget_eval.platform.spreadsheets import Column, Table
from tests.web.client import WebClient

LONG = "申报金额1,500.00万元，达到第五条规定的1000万元及以上的其他政策和项目标准，" * 8  # ~250 characters


def _printed(sheet) -> None:
    assert sheet.page_setup.paperSize in ("9", 9)  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows  # the header repeats on every printed page


def test_streamed_long_text_wraps_and_the_page_is_set_up():
    table = Table("筛查结果", [Column("原表行号", "integer"), Column("项目名称", "text"), Column("判定依据", "text")],
                  [[2, "城西综合交通枢纽配套道路工程", LONG], [3, "短", "否"]], streamed=True, preamble=["项目清单"])
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx(table))).active
    _printed(sheet)
    basis = sheet.cell(3, 3)
    assert basis.value == LONG and basis.alignment.wrap_text  # printed on several lines of its column
    assert sheet.column_dimensions["C"].width <= 50


def test_wide_sheets_print_landscape():
    columns = [Column(f"第{n}列说明文字", "text") for n in range(12)]
    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx(Table("宽表", columns, [["内容" * 10] * 12])))).active
    _printed(sheet)
    assert sheet.page_setup.orientation == "landscape"


def test_audit_export_is_in_chinese_without_rule_hashes(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    for kind in ("feedback", "commitment", "supervision", "hotwords"):
        audit(kind, "意见#1", "状态变更", admin)
    audit("rules", "事前绩效评估评分规则", "2026-2@c5ec817074d4", admin)
    db.session.commit()
    client = WebClient(app)
    client.login(admin, PASSWORD)
    with client.get("/admin/audit.xlsx") as response:
        sheet = load_workbook(io.BytesIO(response.data)).active
    _printed(sheet)
    categories = {sheet.cell(r, 3).value for r in range(2, sheet.max_row + 1)}
    assert categories <= set(KINDS.values()) | {"其他"}, categories
    assert {"意见反馈确认", "整改承诺", "跟踪督办", "热词与意见"} <= categories
    text = "".join(str(c.value or "") for row in sheet.iter_rows() for c in row)
    assert not re.search(r"@[0-9a-f]{6,}", text) and "2026-2" in text
