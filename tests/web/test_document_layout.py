"""Issue 12 acceptance: every document, rendered from the demo data, follows the GB/T 9704 layout.

Each document is checked in the .docx (A4, margins, fonts and language in the styles, page-number field) and in
the PDF LibreOffice makes of it (every page A4, a page number on the numbered pages, no rule hash, the opinion
form with a 600-character opinion within two pages). The pages are written as PNG files under
test-artifacts/documents/ for a person to look at.
"""
from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.platform.extensions import db
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.meetings.models import Meeting
from budget_eval.intake.models import Proposal
from budget_eval.platform.models.user import User
from budget_eval.platform.pdf import convert
from tests.conftest import ROOT
from tests.tools import require_tool
from tests.web.client import WebClient
from tests.web.test_reports import text_of

RULE_HASH = re.compile(r"\d{4}-\d+@[0-9a-f]{6,}")
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
ARTIFACTS = ROOT / "test-artifacts" / "documents"
LONG_OPINION = ("项目立项依据充分，与城市规划和部门职责相符，但投入经济性不足，预算测算偏粗，部分单价高于定额标准，"
                "建议补充询价记录并核减不合理支出。") * 12


def _client(app, username: str) -> WebClient:
    client = WebClient(app)
    client.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return client


def _get(client: WebClient, url: str) -> bytes:
    with client.get(url) as response:
        assert response.status_code == 200, (url, response.status_code)
        return response.data


@pytest.fixture
def documents(app) -> dict[str, bytes]:
    """Each document as a user downloads it from the demo data."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    admin, office = _client(app, "admin"), _client(app, "kpb")
    hub = db.session.scalar(select(Proposal).where(Proposal.name == "城西综合交通枢纽配套道路工程"))
    one_year = db.session.scalar(select(Proposal).where(Proposal.name == "科技企业孵化器运营补助政策"))
    member = hub.current_assessment.members[1]
    files = {"report_multi_year.docx": _get(admin, f"/proposals/{hub.id}/report.docx"),
             "report_one_year.docx": _get(admin, f"/proposals/{one_year.id}/report.docx"),
             "opinion_form.docx": _get(admin, f"/reviews/{member.id}/opinion.docx")}
    member.overall_opinion = LONG_OPINION[:600]
    db.session.commit()
    files["opinion_form_600.docx"] = _get(admin, f"/reviews/{member.id}/opinion.docx")
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    with zipfile.ZipFile(io.BytesIO(_get(admin, f"/meetings/{meeting.id}/pack.zip"))) as pack:
        name = next(n for n in pack.namelist() if n.endswith("_会议材料.docx"))
        files["meeting_pack.docx"] = pack.read(name)
        assert name.replace(".docx", ".pdf") in pack.namelist()  # LibreOffice is there: the pack has its PDF
    year = db.session.scalar(select(EvaluationYear).where(EvaluationYear.status == "published"))
    files["results_notice.docx"] = _get(office, f"/evaluation/{year.year}/notice.docx")
    return files


def _style_font(document, name: str) -> str:
    return document.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def check_docx(name: str, data: bytes) -> None:
    document = Document(io.BytesIO(data))
    for section in document.sections:
        short, long_ = sorted((round(section.page_width.mm), round(section.page_height.mm)))
        assert (short, long_) == (210, 297), name
        margins = {"top": section.top_margin.mm, "bottom": section.bottom_margin.mm,
                   "left": section.left_margin.mm, "right": section.right_margin.mm}
        if section.page_width > section.page_height:  # landscape keeps the binding edge: margins turn with it
            margins = {"top": margins["left"], "bottom": margins["right"], "left": margins["top"],
                       "right": margins["bottom"]}
        assert {k: round(v) for k, v in margins.items()} == MARGINS_MM, name
    assert _style_font(document, "Normal") == "仿宋" and _style_font(document, "Title") == "方正小标宋简体"
    assert _style_font(document, "Heading 1") == "黑体" and _style_font(document, "Heading 2") == "楷体"
    assert document.styles["Normal"].font.size.pt == 16 and document.styles["Title"].font.size.pt == 22
    normal = document.styles["Normal"].element.pPr.find(qn("w:ind"))
    assert normal.get(qn("w:firstLineChars")) == "200"  # two-character indent
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"
    assert document.styles["Title"].element.pPr.find(qn("w:pBdr")) is None  # no blue rule under the title
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "—" in footer, name
    assert not RULE_HASH.search(text_of(document)), name


def pdf_pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    for width, height in sizes:
        assert sorted((round(float(width)), round(float(height)))) == [595, 842], pdf.name  # A4
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:len(sizes)]


def test_every_document_is_laid_out_to_gbt_9704(documents):
    for name, data in documents.items():
        check_docx(name, data)
    notice = Document(io.BytesIO(documents["results_notice.docx"]))
    for table in notice.tables[:-1]:  # the results; the last table is the 版记
        for row in table.rows[1:]:
            scores = [c.text for c in row.cells[2:8]]
            assert all(re.fullmatch(r"\d+\.\d{2}", v) for v in scores), scores  # 0.00 beside 1.50, never 0
    require_tool("soffice", "pdfinfo", "pdftoppm", "pdftotext", "cjk-font")
    pdfs = convert(documents, ROOT / "report_templates")
    assert set(pdfs) == {n.replace(".docx", ".pdf") for n in documents}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, data in pdfs.items():
        path = ARTIFACTS / name
        path.write_bytes(data)
        pages = pdf_pages(path)
        assert not RULE_HASH.search("".join(pages)), name
        numbered = pages[1:] if name == "meeting_pack.pdf" else pages  # the cover has no number
        for n, page in enumerate(numbered, 1):
            assert re.search(rf"—\s*{n}\s*—", page), (name, n)
        for old in ARTIFACTS.glob(f"{path.stem}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(path), str(ARTIFACTS / path.stem)], check=True)
    assert len(pdf_pages(ARTIFACTS / "opinion_form_600.pdf")) <= 2
    assert "实施期为2027年。" in "".join(pdf_pages(ARTIFACTS / "report_one_year.pdf")).replace("\n", "").replace(" ", "")
    notice = "".join(pdf_pages(ARTIFACTS / "results_notice.pdf"))
    assert re.search(r"杭考评办〔\d{4}〕\d+\s*号", notice) and "抄送：" in notice and "印发" in notice
