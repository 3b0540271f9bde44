"""The batch screening upload page for finance staff."""
import io

import pandas as pd
import pytest
from openpyxl import Workbook

from budget_eval.platform.domain.roles import Role
from budget_eval.intake.domain.screening_rows import COL_BASIS, COL_RESULT, INPUT_HEADERS


def sheet_bytes(rows) -> bytes:
    book = Workbook()
    book.active.append(list(INPUT_HEADERS))
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_file(client, content: bytes, filename: str):
    return client.post("/screening/batch", {"file": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_finance_staff_download_the_screened_list(client, make, role):
    client.login(make.user(role))
    assert "事前绩效评估范围批量筛查" in client.text("/screening/batch")
    content = sheet_bytes([["枢纽道路", "交通局", "基建投资项目", "是", "25,000", "否"],
                           ["坏行", "交通局", "道路", "是", "100", "否"]])
    response = post_file(client, content, "2027年项目清单.xlsx")
    assert response.status_code == 200
    assert "2027%E5%B9%B4%E9%A1%B9%E7%9B%AE%E6%B8%85%E5%8D%95_%E7%AD%9B%E6%9F%A5%E7%BB%93%E6%9E%9C.xlsx" in \
        response.headers["Content-Disposition"]
    table = pd.read_excel(io.BytesIO(response.data), engine="calamine")
    assert list(table[COL_RESULT]) == ["需要", "数据有误"]
    assert "项目类别“道路”无法识别" in table[COL_BASIS][1]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"not a sheet", "清单.xlsx", "不是有效的 Excel"),
        (b"%PDF-1.4", "清单.pdf", "不支持的文件类型"),
    ],
)
def test_bad_files_get_a_clear_error_on_the_form(client, make, content, filename, message):
    client.login(make.user(Role.REVIEWER))
    response = post_file(client, content, filename)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_missing_file_is_asked_for(client, make):
    client.login(make.user(Role.REVIEWER))
    response = client.post("/screening/batch", {})
    assert response.status_code == 422 and "请选择要筛查的文件" in response.get_data(as_text=True)


def test_department_staff_cannot_batch_screen(client, make):
    client.login(make.user(Role.DEPARTMENT))
    assert client.get("/screening/batch").status_code == 403
    assert post_file(client, sheet_bytes([]), "x.xlsx").status_code == 403
