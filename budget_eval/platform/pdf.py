"""Convert a .docx to PDF with LibreOffice when it is installed, using the CJK font aliases of
report_templates/fonts.conf (仿宋/楷体/宋体 → Noto Serif CJK SC, 黑体 → Noto Sans CJK SC, 小标宋 → its bold)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(files: dict[str, bytes], templates_dir: Path, timeout: int = 600) -> dict[str, bytes]:
    """{name.docx: data} → {name.pdf: data}; empty when LibreOffice is missing or fails."""
    program = soffice()
    if program is None or not files:
        return {}
    env = dict(os.environ)
    fonts = (templates_dir / "fonts.conf").resolve()  # fontconfig reads a relative path from /etc/fonts
    if fonts.exists():
        env["FONTCONFIG_FILE"] = str(fonts)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        try:
            subprocess.run([program, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to",
                            "pdf", "--outdir", str(folder), *[str(folder / n) for n in files]],
                           check=True, capture_output=True, timeout=timeout, env=env)
        except (OSError, subprocess.SubprocessError):
            return {}
        out = {}
        for name in files:
            pdf = folder / (Path(name).stem + ".pdf")
            if pdf.exists():
                out[pdf.name] = pdf.read_bytes()
        return out
