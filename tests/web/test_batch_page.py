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
    page, data = client.job(post_file(client, content, "2027年项目清单.xlsx"))  # screened as a job
    assert "共读取 2 行：判定 2 行（需要 1 行，不需要 0 行，免于评估 0 行，数据有误 1 行）" in page  # its summary
    assert "下载2027年项目清单_筛查结果.xlsx" in page
    table = pd.read_excel(io.BytesIO(data), engine="calamine")
    assert list(table[COL_RESULT]) == ["需要", "数据有误"]
    assert "项目类别“道路”无法识别" in table[COL_BASIS][1]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"not a sheet", "清单.xlsx", "不是有效的 Excel"),
        (b"%PDF-1.4", "清单.pdf", "不支持的文件类型"),
    ],
)
def test_bad_files_get_a_clear_error_on_the_jobs_page(client, make, content, filename, message):
    client.login(make.user(Role.REVIEWER))
    page, data = client.job(post_file(client, content, filename))
    assert "失败" in page and message in page and data is None


def test_missing_file_is_asked_for(client, make):
    client.login(make.user(Role.REVIEWER))
    response = client.post("/screening/batch", {})
    assert response.status_code == 422 and "请选择要筛查的文件" in response.get_data(as_text=True)


def test_department_staff_cannot_batch_screen(client, make):
    client.login(make.user(Role.DEPARTMENT))
    assert client.get("/screening/batch").status_code == 403
    assert post_file(client, sheet_bytes([]), "x.xlsx").status_code == 403
