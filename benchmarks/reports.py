"""Time Word output: one assessment report, and a meeting pack of 200 projects, against docxtpl's floor.

The floor is docxtpl rendering the same template with a ready-made context and image (no database, no
chart, no data work). Builds its own SQLite database in a temporary folder; prints figures, asserts nothing.

Usage: .venv/bin/python benchmarks/reports.py [PROJECTS]   (default 200)
"""
from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from budget_eval import create_app  # noqa: E402
from budget_eval.demo import score_and_conclude, to_finance_review  # noqa: E402
from budget_eval.intake.domain.intake import FundYear, ProposalDraft, Target  # noqa: E402
from budget_eval.platform.domain.roles import Role  # noqa: E402
from budget_eval.assessment.domain.visibility import Audience  # noqa: E402
from budget_eval.platform.extensions import db  # noqa: E402
from budget_eval.platform.models.department import Department  # noqa: E402
from budget_eval.intake.models import Proposal  # noqa: E402
from budget_eval.platform.models.user import User  # noqa: E402
from budget_eval.assessment.documents.charts import radar_png  # noqa: E402
from budget_eval.assessment.documents.context import report_context  # noqa: E402
from budget_eval.assessment.documents.build import annex_numbers  # noqa: E402
from budget_eval.platform.pdf import soffice  # noqa: E402
from budget_eval.platform.documents import render  # noqa: E402
from budget_eval.intake import operations as proposals  # noqa: E402
from budget_eval.assessment.documents import build as reports  # noqa: E402
from budget_eval.meetings.pack import meeting_pack  # noqa: E402
from budget_eval.assessment.panels import rules_of  # noqa: E402
from budget_eval.intake.rules import screening_rules  # noqa: E402


def user(name: str, role: Role, department=None) -> User:
    account = User(username=name, display_name=name, role=role, department=department)
    account.set_password("benchmark-pw", "pbkdf2:sha256:1000")
    db.session.add(account)
    return account


def build(projects: int) -> list[Proposal]:
    department = Department(name="杭州市交通运输局")
    db.session.add(department)
    staff = user("staff", Role.DEPARTMENT, department)
    finance, admin = user("finance", Role.REVIEWER), user("admin", Role.ADMIN)
    panel = [user(f"expert{n}", Role.EXPERT) for n in range(3)]
    db.session.commit()
    made = []
    for n in range(projects):
        draft = ProposalDraft(
            name=f"第{n + 1}号道路改造工程 R&D <试点>", year=2027, category="other", is_new=True,
            start_year=2027, end_year=2028,
            fund_years=(FundYear(2027, Decimal(1000 + n)), FundYear(2028, Decimal(800))),
            sources={"general": Decimal(1800 + n)}, basis_text="依据规划。" * 50, plan_text="分阶段实施。\n" * 80,
            budget_text="按定额测算。" * 40,
            targets=tuple(Target("产出指标", "数量指标", f"指标{i}", str(i * 10), "公里") for i in range(6)),
        )
        proposal = Proposal(department_id=department.id)
        proposals.submit(proposal, draft, staff, screening_rules())
        to_finance_review(proposal, staff, finance)
        score_and_conclude(proposal, panel, admin, str(Decimal("8") + Decimal(n % 15) / 10), "评估意见。" * 30)
        made.append(proposal)
    return made


def timed(work, repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - start) / repeat


def main(projects: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "benchmark", "INSTANCE_PATH": Path(tmp),
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          # the report's own work, against the floor; the LibreOffice pass that caches the
                          # 目录 page numbers of a downloaded report is timed once, apart, below
                          "PAGINATE_DOCUMENTS": False})
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            made = build(projects)
            print(f"set-up: {projects} concluded projects in {time.perf_counter() - start:.1f} s")
            sample = made[0]
            reports.assessment_report(sample, Audience.MEETING)  # warm caches (rules, fonts, templates)
            # rendered each time (the report's own work), and as a repeated download reads it (the document cache)
            per_report = timed(lambda: reports._assessment_report(sample, Audience.MEETING), 20)  # noqa: SLF001
            cached = timed(lambda: reports.assessment_report(sample, Audience.MEETING), 20)
            round_ = reports.concluded_round(sample)
            rules = rules_of(round_)
            labels, settings = reports.stored_report(rules, sample.category)  # as the round stored them
            context, chart = report_context(sample, round_, rules, settings, labels)
            context["annex"] = annex_numbers(context)  # as documents.build does
            png = radar_png(chart["labels"], chart["rates"])
            template = reports.template_path(reports.REPORT)
            floor = timed(lambda: render(template, context, {"radar": (png, reports.RADAR_WIDTH_MM)}), 20)
            # the PDF of the pack (LibreOffice) is made only when LibreOffice is installed; timed on 10 projects
            pdf_time = timed(lambda: meeting_pack(made[:10], "基准测试会议", pdf=True)) if soffice() else None
            paginated_time = None
            if soffice():
                app.config["PAGINATE_DOCUMENTS"] = True
                paginated_time = timed(lambda: reports._assessment_report(sample, Audience.MEETING))  # noqa: SLF001
                app.config["PAGINATE_DOCUMENTS"] = False
            chart_time = timed(lambda: radar_png(chart["labels"], chart["rates"], chart["rates"]), 20)
            pack_time = timed(lambda: meeting_pack(made, "基准测试会议", pdf=False))
            print(f"{'measure':<44}{'seconds':>10}")
            print(f"{'assessment report (data + chart + render)':<44}{per_report:>10.3f}")
            print(f"{'  floor: docxtpl render, same template':<44}{floor:>10.3f}")
            print(f"{'  ratio to floor (goal < 3x)':<44}{per_report / floor:>9.2f}x")
            print(f"{'  radar chart alone':<44}{chart_time:>10.3f}")
            print(f"{'  repeated download (document cache)':<44}{cached:>10.3f}")
            if paginated_time is not None:
                print(f"{'  as downloaded (+ LibreOffice 目录 pass)':<44}{paginated_time:>10.3f}")
            print(f"{f'meeting pack, {projects} projects, one .docx + .xlsx (goal < 20 s)':<44}{pack_time:>10.2f}")
            print(f"{'  floor: {0} x docxtpl render'.format(projects):<44}{floor * projects:>10.2f}")
            print(f"{'  ratio to floor (goal <= 1.3x)':<44}{pack_time / (floor * projects):>9.2f}x")
            if pdf_time is not None:
                print(f"{'meeting pack, 10 projects, with PDF':<44}{pdf_time:>10.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
