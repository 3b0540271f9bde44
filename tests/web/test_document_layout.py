"""Issue 23 acceptance: every document kind, rendered from the demo data, is fit to send (GB/T 9704-2012).

The documents are downloaded once per module as users download them, converted to PDF by LibreOffice once, and
read back with poppler (pdftotext -bbox-layout gives every line with its position): 28 characters and 22 lines on
a full body page, no number split across lines, "— n —" 7 mm below the text area at the outer edge, the notice's
版记 on the last lines of an even last page and its red mark 35 mm below the top of the text area, 目录 fields
with cached page numbers (pack and report), no empty section, placeholder, English word or internal code. The
first page of every document is written to test-artifacts/documents/ as PNG for a person to look at.
"""
from __future__ import annotations

import copy
import html
import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from budget_eval.demo import PASSWORD
from budget_eval.evaluation.feedback_report import numeral
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.intake.models import Proposal
from budget_eval.meetings.models import Meeting
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from budget_eval.platform.pdf import convert
from tests.conftest import _empty_tables, ROOT
from tests.tools import require_tool
from tests.web.client import WebClient
from tests.web.test_reports import text_of

ARTIFACTS = ROOT / "test-artifacts" / "documents"
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PT_PER_MM = 72 / 25.4
TOP, BOTTOM = 37 * PT_PER_MM, (297 - 35) * PT_PER_MM  # the text area's top and bottom edges, in points
LEFT, RIGHT = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM
RULE_HASH = re.compile(r"\d{4}-\d+@[0-9a-f]{6,}")
CLOSING = "）」』】〕》〉、，。；：！？"  # marks that may not begin a line
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff01-\uff5e]")  # Chinese characters and full-width punctuation
PLACEHOLDERS = ("（未归纳）", "未填报", "{{", "}}", "{%", "%}", "None", "nan", "申报材料未填写")
# Latin letters a document may print: units of measure typed in the demo targets, and nothing else
ALLOWED_LATIN = {"km", "kWh", "m", "GB", "T", "pdf"}  # pdf: a cited material is named by its file name
# the documents a user downloads; their first page is kept as PNG
KINDS = ("report_multi_year", "report_one_year", "opinion_form", "opinion_form_600", "meeting_pack", "results_notice",
         "feedback_report")
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


@dataclass
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Rendered:
    docx: bytes
    pdf: Path
    sizes: list[tuple[float, float]]
    lines: list[Line]  # every text line of the PDF with its box (points, from the page's top left)
    text: str  # pdftotext -layout, pages split by form feeds

    def page_lines(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]


def _lines(pdf: Path) -> list[Line]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for number, page in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", xml, re.DOTALL), 1):
        for box, body in re.findall(r'<line (xMin="[^"]+" yMin="[^"]+" xMax="[^"]+" yMax="[^"]+")>(.*?)</line>',
                                    page, re.DOTALL):
            x0, y0, x1, y1 = (float(v) for v in re.findall(r'"([^"]+)"', box))
            words = [html.unescape(w) for w in re.findall(r"<word [^>]*>(.*?)</word>", body)]
            found.append(Line(number, x0, y0, x1, y1, "".join(words)))
    return found


def _pdf(path: Path) -> tuple[list[tuple[float, float]], str]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return sizes, text


# Layout is LibreOffice's reading of the Word files: it does not depend on the database, and the documents are
# built from the same code on both (tests/web/test_reports.py and others build them on PostgreSQL too), so the
# rendering runs once, on SQLite.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def rendered(shared_app) -> dict[str, Rendered]:
    """Every document kind from the demo, downloaded, converted to PDF once, its first page saved as PNG."""
    require_tool("soffice", "pdfinfo", "pdftoppm", "pdftotext", "cjk-font")
    app, config = shared_app
    app.config.clear()
    app.config.update(copy.deepcopy(config))
    app.config["PAGINATE_DOCUMENTS"] = True  # the report's 目录 gets its page numbers as a bureau's does
    instance = Path(tempfile.mkdtemp(prefix="documents-"))
    app.config.update(INSTANCE_PATH=instance / "instance", ATTACHMENT_DIR=instance / "attachments")
    with app.app_context():
        try:
            assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
            admin, office = _client(app, "admin"), _client(app, "kpb")
            hub = db.session.scalar(select(Proposal).where(Proposal.name == "城西综合交通枢纽配套道路工程"))
            one_year = db.session.scalar(select(Proposal).where(Proposal.name == "科技企业孵化器运营补助政策"))
            member = hub.current_assessment.members[1]
            files = {"report_multi_year": _get(admin, f"/proposals/{hub.id}/report.docx"),
                     "report_one_year": _get(admin, f"/proposals/{one_year.id}/report.docx"),
                     "opinion_form": _get(admin, f"/reviews/{member.id}/opinion.docx")}
            member.overall_opinion = LONG_OPINION[:600]
            db.session.commit()
            files["opinion_form_600"] = _get(admin, f"/reviews/{member.id}/opinion.docx")
            meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
            with zipfile.ZipFile(io.BytesIO(_get(admin, f"/meetings/{meeting.id}/pack.zip"))) as pack:
                name = next(n for n in pack.namelist() if n.endswith("_会议材料.docx"))
                files["meeting_pack"] = pack.read(name)
                pack_pdf = pack.read(name.replace(".docx", ".pdf"))  # LibreOffice is there: the pack has its PDF
            year = db.session.scalar(select(EvaluationYear).where(EvaluationYear.status == "published"))
            files["results_notice"] = office.job(office.post(f"/evaluation/{year.year}/notice-job", {}))[1]
            files["feedback_report"] = _get(office, f"/evaluation/{year.year}/feedback-report.docx")
        finally:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()
    pdfs = convert({f"{k}.docx": v for k, v in files.items() if k != "meeting_pack"}, ROOT / "report_templates")
    pdfs["meeting_pack.pdf"] = pack_pdf
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for kind in KINDS:
        path = ARTIFACTS / f"{kind}.pdf"
        path.write_bytes(pdfs[f"{kind}.pdf"])
        (ARTIFACTS / f"{kind}.docx").write_bytes(files[kind])
        for old in ARTIFACTS.glob(f"{kind}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / kind)],
                       check=True)
        sizes, text = _pdf(path)
        out[kind] = Rendered(files[kind], path, sizes, _lines(path), text)
    return out


# ---- the .docx ----

def test_page_styles_grid_fonts_and_fields(rendered):
    for kind, r in rendered.items():
        document = Document(io.BytesIO(r.docx))
        for section in document.sections:
            short, long_ = sorted((round(section.page_width.mm), round(section.page_height.mm)))
            assert (short, long_) == (210, 297), kind
            margins = {"top": section.top_margin.mm, "bottom": section.bottom_margin.mm,
                       "left": section.left_margin.mm, "right": section.right_margin.mm}
            if section.page_width > section.page_height:  # landscape keeps the binding edge
                margins = {"top": margins["left"], "bottom": margins["right"], "left": margins["top"],
                           "right": margins["bottom"]}
            assert {k: round(v) for k, v in margins.items()} == MARGINS_MM, kind
            grid = section._sectPr.find(qn("w:docGrid"))
            assert grid is not None and grid.get(qn("w:linePitch")) == "579", kind  # 22 lines on 225 mm
        styles = document.styles
        assert styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋", kind
        assert styles["Title"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体", kind
        assert styles["Normal"].font.size.pt == 16 and styles["Title"].font.size.pt == 22, kind
        lang = styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        # Latin and digits in en-US (never broken inside a number), Chinese in zh-CN
        assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("en-US", "zh-CN"), kind
        assert "zh-CN" not in {e.get(qn("w:val")) for e in styles.element.iter(qn("w:lang"))}, kind
        with zipfile.ZipFile(io.BytesIO(r.docx)) as z:
            settings = z.read("word/settings.xml").decode()
            fonts = z.read("word/fontTable.xml").decode()
        assert '<w:updateFields w:val="true"/>' in settings, kind  # fields refreshed when Word opens it
        # Word on Windows substitutes fonts it lacks by these entries
        assert re.search(r'<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>', fonts), kind
        assert re.search(r'<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts), kind


def _toc_pages(docx: bytes) -> list[str]:
    """The cached results of the 目录's PAGEREF fields."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode()
    return re.findall(r"PAGEREF [^<]+</w:instrText></w:r><w:r>(?:<w:rPr>(?:(?!</w:r>).)*?</w:rPr>)?"
                      r"<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>(?:<w:rPr>(?:(?!</w:r>).)*?</w:rPr>)?"
                      r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)


@pytest.mark.parametrize("kind", ["meeting_pack", "report_multi_year"])
def test_contents_fields_carry_their_page_numbers(rendered, kind):
    pages = _toc_pages(rendered[kind].docx)
    assert len(pages) >= 4 and all(p.isdigit() for p in pages), pages  # shown in Word and WPS without F9
    assert [int(p) for p in pages] == sorted(int(p) for p in pages)
    # the cached numbers are those of the printed pages
    text = rendered[kind].text.split("\f")
    heading = "四、评估结论" if kind.startswith("report") else "汇报说明"
    page = next(n for n, t in enumerate(text) if re.search(rf"^\s*{heading}\s*$", t, re.M))
    printed = re.search(r"—\s*(\d+)\s*—", text[page]).group(1)
    index = 3 if kind.startswith("report") else 0
    assert pages[index] == printed, (pages, printed)


# ---- the PDF ----

def _body_lines(r: Rendered, page: int) -> list[Line]:
    """Lines of 三号 text inside the text area of a portrait page (tables, titles and footers left out)."""
    return [line for line in r.page_lines(page)
            if TOP - 2 <= line.y0 and line.y1 <= BOTTOM + 2 and 19 <= line.height <= 23 and line.x0 >= LEFT - 2]


def test_a_full_body_page_has_22_lines_of_28_characters(rendered):
    counted = []
    for kind in ("report_multi_year", "feedback_report", "results_notice", "meeting_pack"):
        r = rendered[kind]
        for page in range(1, len(r.sizes) + 1):
            width, height = r.sizes[page - 1]
            if width > height:
                continue
            lines = _body_lines(r, page)
            for line, after in zip(lines, [*lines[1:], None]):
                # a line running from margin to margin, all Chinese: exactly 28 characters, or 27 where the 28th
                # went down with the closing mark that may not start a line (避头点: 列 of “并列）”)
                chars = CJK.findall(line.text)
                if line.x0 <= LEFT + 2 and line.x1 >= RIGHT - 3 and len(chars) == len(line.text):
                    pushed = after is not None and len(after.text) > 1 and after.text[1] in CLOSING
                    counted.append(len(chars) + (1 if pushed and len(chars) == 27 else 0))
            if len(lines) >= 22:
                pitches = {round(b.y0 - a.y0, 1) for a, b in zip(lines, lines[1:]) if b.y0 - a.y0 < 40}
                assert len(lines) == 22 and all(28.7 <= p <= 29.2 for p in pitches), (kind, page, len(lines), pitches)
                counted.append(-len(lines))
    assert counted and set(c for c in counted if c > 0) == {28}, counted
    assert -22 in counted, "no full body page found"


def test_no_number_is_split_across_lines(rendered):
    for kind, r in rendered.items():
        for page in range(1, len(r.sizes) + 1):
            lines = _body_lines(r, page)
            for a, b in zip(lines, lines[1:]):
                # a line that runs to the right margin and the next one from the left margin: one paragraph
                if 20 < b.y0 - a.y0 < 35 and a.x1 >= RIGHT - 20 and b.x0 <= LEFT + 2:
                    assert not (re.search(r"[\d.,，]$", a.text) and re.match(r"\d", b.text)
                                and re.search(r"\d[.,]?$", a.text)), (kind, page, a.text, b.text)


def test_page_numbers_sit_below_the_text_at_the_outer_edge(rendered):
    for kind, r in rendered.items():
        numbered = 0
        for page in range(1, len(r.sizes) + 1):
            width, height = r.sizes[page - 1]
            if width > height:
                continue
            marks = [line for line in r.page_lines(page) if re.fullmatch(r"—\d+—", line.text)]
            if not marks:
                continue
            mark = marks[-1]
            n = int(mark.text.strip("—"))
            numbered += 1
            assert BOTTOM + 3 * PT_PER_MM <= mark.y0 <= BOTTOM + 12 * PT_PER_MM, (kind, page, mark)  # ~7 mm below
            if n % 2:  # odd pages: at the right, one character in
                assert RIGHT - 20 <= mark.x1 <= RIGHT - 8, (kind, page, mark)
            else:
                assert LEFT + 8 <= mark.x0 <= LEFT + 20, (kind, page, mark)
        assert numbered, kind


def test_front_matter_and_numbering(rendered):
    report = rendered["report_multi_year"].text.split("\f")
    flat = [re.sub(r"\s", "", p) for p in report]
    assert flat[0].startswith("报告编号：") and "事前绩效评估报告" in flat[0]  # 封面
    assert re.search(r"报告编号：杭财绩评〔\d{4}〕[1-9]\d*号", flat[0])  # no leading zeros
    assert flat[1].startswith("摘要评估结论：")  # the conclusion up front
    assert flat[2].startswith("目录")
    assert not any(re.search(r"—\d+—", p) for p in flat[:3])  # no page number on the front matter
    assert "—1—" in flat[3]
    assert "评估机构（盖章）" in "".join(flat)
    pack = [re.sub(r"\s", "", p) for p in rendered["meeting_pack"].text.split("\f")]
    assert "提请审议事项" in "".join(pack)
    assert not re.search(r"0\.\d+亿元", "".join(pack))  # amounts under 1亿 in 万元


def test_a_long_opinion_fits_two_pages_and_one_year_reads_as_one(rendered):
    assert len(rendered["opinion_form_600"].sizes) <= 2
    assert "实施期为2027年。" in re.sub(r"\s", "", rendered["report_one_year"].text)
    assert re.search(r"杭考评办〔\d{4}〕[1-9]\d*号", re.sub(r"\s", "", rendered["results_notice"].text))


def test_funds_total_equals_the_sources(rendered):
    text = re.sub(r"\s", "", rendered["report_multi_year"].text)
    total = re.search(r"项目资金总额([\d,]+\.\d{2})万元", text) or re.search(r"项目资金总额([\d.]+)亿元（([\d,]+\.\d{2})万元）",
                                                                         text)
    assert total, "资金总额 not printed"
    amount = total.group(total.lastindex).replace(",", "")
    sources = re.search(r"按资金来源分：(.*?)。", text).group(1)
    parts = re.findall(r"([\d,]+\.\d{2})万元", re.sub(r"[\d.]+亿元（", "", sources))
    assert f"{sum(float(p.replace(',', '')) for p in parts):.2f}" == f"{float(amount):.2f}", (amount, sources)


def test_notice_red_mark_and_imprint_in_their_places(rendered):
    r = rendered["results_notice"]
    first = r.page_lines(1)
    mark = next(line for line in first if "文件" in line.text or line.height > 25)
    assert abs((mark.y0 - TOP) / PT_PER_MM - 35) <= 4, (mark.y0 - TOP) / PT_PER_MM  # 35 mm below the top
    last = len(r.sizes)
    assert last % 2 == 0, last  # the 版记 ends on an even page
    printed = [line for line in r.page_lines(last) if line.text.endswith("印发")]
    assert printed, "版记 not on the last page"
    assert printed[-1].y1 >= BOTTOM - 30, (printed[-1].y1, BOTTOM)  # on the last lines of the text area
    text = re.sub(r"\s", "", r.text)
    assert "《杭州市综合考评方案》" not in text
    assert "专项晋优" in text or "优秀" in text


def test_no_placeholder_empty_section_english_or_code(rendered):
    for kind, r in rendered.items():
        text = r.text
        for placeholder in PLACEHOLDERS:
            assert placeholder not in text, (kind, placeholder)
        assert not RULE_HASH.search(text), kind
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), kind  # dates written the Chinese way
        words = set(re.findall(r"[A-Za-z_]{2,}", text)) - ALLOWED_LATIN
        assert not words, (kind, words)
        document = Document(io.BytesIO(r.docx))
        styles = [p.style.name for p in document.paragraphs if p.text.strip()]
        for a, b in zip(styles, styles[1:]):
            assert not (a == "Heading 1" and b == "Heading 1"), kind  # a heading with nothing under it
        for table in document.tables:
            assert len(table.rows) >= 1
            if len(table.rows) == 1 and table.rows[0].cells[0].text.strip():
                header = table.rows[0]._tr.find(qn("w:trPr"))
                assert header is None or header.find(qn("w:tblHeader")) is None, (kind, "empty table")
        assert not RULE_HASH.search(text_of(document)), kind


def test_feedback_report_levels_in_order(rendered):
    text = rendered["feedback_report"].text
    top = re.findall(r"^\s*([一二三四五六七八九十]+)、", text, re.M)
    assert top == [numeral(n) for n in range(1, len(top) + 1)], top
    subs = re.findall(r"^\s*（([一二三四五六七八九十]+)）", text, re.M)
    assert subs == [numeral(n) for n in range(1, len(subs) + 1)], subs


HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.\s*\S{2,12}$)")


def test_no_heading_is_stranded_at_a_page_foot(rendered):
    """A heading keeps with what follows it: never the last body line of a page that has more after it."""
    for kind in ("report_multi_year", "feedback_report", "results_notice", "meeting_pack"):
        r = rendered[kind]
        for page in range(1, len(r.sizes)):
            lines = _body_lines(r, page)
            if not lines or not _body_lines(r, page + 1):
                continue
            last = lines[-1]
            short = len(last.text) <= 16 and not last.text.endswith(("。", "；", "，"))
            assert not (HEADING.match(last.text) and short), (kind, page, last.text)
