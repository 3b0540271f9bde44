"""Attachments: stored outside the database, checked by type, content and size."""
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.intake.models import Attachment

PDF = b"%PDF-1.4\n" + b"x" * 1000


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.fixture
def draft(client, make):
    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    return make.proposal(staff)


def upload(client, proposal, content: bytes, filename: str):
    response = client.post(f"/proposals/{proposal.id}/attachments", {"file": (io.BytesIO(content), filename)},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    return client.text(response.headers["Location"])


def stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment))


@pytest.mark.parametrize(("content", "filename"), [(PDF, "可行性研究报告.pdf"), (docx_bytes(), "实施方案.docx")])
def test_upload_and_download(client, draft, app, content, filename):
    page = upload(client, draft, content, filename)
    assert f"已上传“{filename}”" in page and filename in page
    attachment = db.session.scalar(select(Attachment))
    stored = Path(app.config["ATTACHMENT_DIR"]) / attachment.storage_key[:2] / attachment.storage_key
    assert stored.read_bytes() == content  # on disk, not in the database
    with client.get(f"/proposals/attachments/{attachment.id}") as response:
        assert response.data == content
        assert "attachment" in response.headers["Content-Disposition"]
    assert [e.action for e in draft.events][-1] == "上传附件"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"MZ\x90\x00 executable", "setup.exe", "只能上传 PDF、Word"),
        (b"MZ\x90\x00 executable", "报告.pdf", "文件内容与扩展名“.pdf”不符"),
        (b"#!/bin/sh\nrm -rf /", "方案.docx", "文件内容与扩展名“.docx”不符"),
        (b"", "空.pdf", "文件为空"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(client, draft, app, content, filename, message):
    page = upload(client, draft, content, filename)
    assert "上传失败：" + message in page
    assert stored_count() == 0
    assert [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()] == []


def test_oversized_upload_is_refused_and_leaves_no_file(client, draft, app):
    app.config["ATTACHMENT_MAX_BYTES"] = 2048
    page = upload(client, draft, PDF + b"y" * 4096, "大文件.pdf")
    assert "文件超过" in page
    assert stored_count() == 0
    assert [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()] == []


def test_request_over_the_global_limit_gets_413(client, draft, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post(f"/proposals/{draft.id}/attachments", {"file": (io.BytesIO(PDF * 2), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "上传的文件过大" in response.get_data(as_text=True)


def test_path_traversal_in_the_name_is_neutralised(client, draft, app):
    upload(client, draft, PDF, "../../etc/passwd.pdf")
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "passwd.pdf"
    files = [p for p in Path(app.config["ATTACHMENT_DIR"]).rglob("*") if p.is_file()]
    assert files == [Path(app.config["ATTACHMENT_DIR"]) / attachment.storage_key[:2] / attachment.storage_key]


def test_delete_removes_record_and_file(client, draft, app):
    upload(client, draft, PDF, "a.pdf")
    attachment = db.session.scalar(select(Attachment))
    path = Path(app.config["ATTACHMENT_DIR"]) / attachment.storage_key[:2] / attachment.storage_key
    response = client.post(f"/proposals/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert stored_count() == 0 and not path.exists()


def test_no_uploads_after_submission(client, make):
    staff = make.user(Role.DEPARTMENT)
    client.login(staff)
    proposal = make.proposal(staff, submit=True)
    response = client.post(f"/proposals/{proposal.id}/attachments", {"file": (io.BytesIO(PDF), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 403 and stored_count() == 0
