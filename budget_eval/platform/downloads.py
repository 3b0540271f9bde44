"""Every file the app sends goes through here: a safe download name that keeps its extension, no caching.

Names come from user text (department and project names, uploaded file names): CR/LF and other control
characters, quotes, slashes and the characters Windows refuses are replaced, and a long name is shortened in
its stem so the extension (.xlsx, .docx, .pdf …) always survives.
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from flask import send_file

MAX_NAME = 100  # characters, extension included
UNSAFE = re.compile(r'[\\/:*?"<>|;\'`]')
EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def safe_filename(name: str, fallback: str = "下载文件", limit: int = MAX_NAME) -> str:
    """A file name fit for a Content-Disposition header and any operating system."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = "".join(" " if unicodedata.category(ch).startswith(("C", "Z")) else ch for ch in name)
    name = UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip()
    match = EXTENSION.search(name)
    extension = match.group(0).lower() if match else ""
    stem = (name[: match.start()] if match else name).strip(" .") or fallback
    return stem[: max(1, limit - len(extension))].rstrip(" .") + extension


class FileMissing(Exception):
    """A stored file (attachment, evidence, a job's result) is gone or unreadable: the user gets a Chinese message
    (platform/errors.py), the log gets the path; never a 500."""

    def __init__(self, name: str, path: Path, reason: str):
        super().__init__(f"{name}: {path}: {reason}")
        self.name, self.path, self.reason = name, path, reason

    @property
    def message(self) -> str:
        return f"文件“{self.name}”已丢失或无法读取，暂时不能下载。此问题已记录，请联系管理员恢复或重新上传该文件。"


def send_download(source, name: str, mimetype: str | None = None):
    """send_file with a sanitised download name; `source` is a path or a binary file object. A path that is
    missing or unreadable raises FileMissing (the file is opened here, so the error comes before any response)."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            source = path.open("rb")
        except OSError as exc:
            raise FileMissing(name, path, exc.strerror or type(exc).__name__) from exc
    name = safe_filename(name)
    response = send_file(source, mimetype=mimetype, as_attachment=True, download_name=name)
    response.headers["Cache-Control"] = "no-store"
    return response
