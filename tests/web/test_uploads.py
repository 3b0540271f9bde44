"""Hostile uploads: zip bombs in .xlsx/.docx, to every place that takes a file."""
import io
import zipfile

import pytest

from budget_eval.platform.domain.roles import Role
from tests.web.factories import TESTER


def bomb(size_mb: int = 300) -> bytes:
    """A tiny .xlsx-looking zip that would expand to size_mb of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(size_mb):
                entry.write(block)
    return out.getvalue()


@pytest.fixture(scope="module")
def payload():
    data = bomb()
    assert len(data) < 1024 * 1024  # megabytes of zeros squeeze into a few hundred kilobytes
    return data


def test_batch_screening_refuses_a_zip_bomb(client, make, payload):
    client.login(make.user(Role.REVIEWER))
    page, _ = client.job(client.post("/screening/batch", {"file": (io.BytesIO(payload), "清单.xlsx")},
                                     content_type="multipart/form-data"))
    assert "疑似压缩炸弹" in page


def test_survey_import_refuses_a_zip_bomb(client, make, payload):
    from budget_eval.evaluation import operations as evaluation

    make.department("杭州市交通运输局")
    evaluation.open_year(2026, "hangzhou", TESTER)
    client.login(make.user(Role.EVAL_OFFICE))
    page, result = client.job(client.post("/evaluation/2026/survey", {"file": (io.BytesIO(payload), "问卷.xlsx")},
                                          content_type="multipart/form-data"))
    assert "失败" in page and "疑似压缩炸弹" in page and result is None


def test_attachment_refuses_a_zip_bomb_and_keeps_nothing(client, make, payload, app):
    from pathlib import Path

    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    proposal = make.proposal(staff)
    page = client.post(f"/proposals/{proposal.id}/attachments", {"file": (io.BytesIO(payload), "方案.docx")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "上传失败：文件解压后过大" in page
    assert [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()] == []
