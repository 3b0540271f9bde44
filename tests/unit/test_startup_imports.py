"""Start-up (issue 22): create_app loads none of the heavy libraries; each loads where it is used (an import, a
document, hot words, a migration). Checked in a fresh interpreter, which is what a new worker is."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "numpy", "openpyxl", "docxtpl", "docx", "lxml", "PIL", "jieba", "huey", "alembic", "flask_migrate",
         "python_calamine", "matplotlib")

CODE = """
import sys, tempfile
from budget_eval import create_app
with tempfile.TemporaryDirectory() as tmp:
    create_app({{"SECRET_KEY": "startup", "INSTANCE_PATH": tmp}})
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_create_app_imports_no_heavy_library():
    out = subprocess.run([sys.executable, "-c", CODE.format(heavy=HEAVY)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"create_app loaded: {out.stdout.strip()}"
