"""The file store: uploads checked by content (type, size, zip bombs) and kept on disk under ATTACHMENT_DIR,
named by random keys. Proposal attachments (intake.attachments) and evaluation evidence both keep files here."""
from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from budget_eval.platform.domain.zipcheck import check_zip, ZipBomb
from budget_eval.platform.downloads import safe_filename

CHUNK = 1024 * 1024
PDF, ZIP, OLE = b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → the signature its content must start with (WPS's .wps/.et are common in government offices)
ALLOWED = {
    ".pdf": PDF, ".docx": ZIP, ".xlsx": ZIP, ".doc": OLE, ".xls": OLE, ".wps": OLE, ".et": OLE,
}
MIMETYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
}


class AttachmentError(ValueError):
    """An upload that is refused; the message is Chinese and fit for the user."""


def clean_filename(name: str) -> str:
    """Keep the user's (Chinese) file name for display, minus any path and control characters; a long name
    is shortened in its stem, so the extension (and with it the type check) survives."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return safe_filename(name, fallback="附件", limit=200)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    key: str
    size: int
    sha256: str


def save_upload(upload: BinaryIO, filename: str) -> StoredFile:
    """Check an uploaded file (type, content, size, zip bombs) and write it to the store under a random key."""
    filename = clean_filename(filename)
    suffix = Path(filename).suffix.lower()
    if suffix not in ALLOWED:
        raise AttachmentError("只能上传 PDF、Word（.doc/.docx/.wps）或 Excel（.xls/.xlsx/.et）文件")
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    key = uuid.uuid4().hex
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            first = upload.read(CHUNK)
            if not first:
                raise AttachmentError("文件为空")
            if not first.startswith(ALLOWED[suffix]):
                raise AttachmentError(f"文件内容与扩展名“{suffix}”不符，请上传真实的文档")
            chunk = first
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise AttachmentError(f"文件超过{limit // (1024 * 1024)}MB的大小限制")
                digest.update(chunk)
                out.write(chunk)
                chunk = upload.read(CHUNK)
        if ALLOWED[suffix] == ZIP:
            with path.open("rb") as stored:
                try:
                    check_zip(stored, current_app.config["UNZIPPED_MAX_BYTES"])
                except ZipBomb as exc:
                    raise AttachmentError(str(exc)) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredFile(filename, key, size, digest.hexdigest())


def keep(source: BinaryIO, filename: str) -> StoredFile:
    """Write a file as it is under a random key (a job's input, checked by the reader that reads it later;
    the request's size limit, MAX_CONTENT_LENGTH, bounds it)."""
    filename = clean_filename(filename)
    key = uuid.uuid4().hex
    path = storage_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with path.open("xb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return StoredFile(filename, key, size, digest.hexdigest())


def keep_bytes(data: bytes, filename: str) -> StoredFile:
    """A file the app made (a job's result), kept for download."""
    return keep(io.BytesIO(data), filename)


def remove(key: str) -> None:
    storage_path(key).unlink(missing_ok=True)


def storage_path(key: str) -> Path:
    if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
        raise ValueError("bad storage key")
    return Path(current_app.config["ATTACHMENT_DIR"]) / key[:2] / key


def mimetype(filename: str) -> str:
    return MIMETYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
