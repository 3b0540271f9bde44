"""Refuse zip bombs: Office files (.xlsx, .docx) are zip archives that could expand without bound."""
from __future__ import annotations

import zipfile
from typing import IO

MAX_ENTRIES = 10000
MAX_RATIO = 200  # real spreadsheets compress 5–30 times; bombs compress thousands of times


class ZipBomb(ValueError):
    """An archive that would expand too far; the message is Chinese and fit for the user."""


def check_zip(source: IO[bytes], max_unzipped: int) -> None:
    """Read only the archive's directory: sizes as declared, before anything is decompressed."""
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return  # not a zip at all: the reader that follows says what is wrong with the file
    if len(entries) > MAX_ENTRIES:
        raise ZipBomb("文件内部结构异常（条目过多），已拒收")
    unzipped = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unzipped > max_unzipped or unzipped / packed > MAX_RATIO:
        raise ZipBomb(f"文件解压后过大（{unzipped // (1024 * 1024)}MB），疑似压缩炸弹，已拒收")
