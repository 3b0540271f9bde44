"""Assessment's command: `flask report`, a project's assessment report as .docx."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from budget_eval.assessment.domain.visibility import Audience
from budget_eval.platform.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(report)


@click.command("report")
@with_appcontext
@click.argument("proposal_id", type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .docx")
@click.option("--for", "audience", type=click.Choice([a.value for a in Audience]), default=Audience.DEPARTMENT.value,
              show_default=True, help="受众：决定报告版本（见 rules/reports.yaml 的 report_variants）")
def report(proposal_id: int, output: Path, audience: str) -> None:
    """Write a project's assessment report (事前绩效评估报告) as .docx, in the variant for its audience."""
    from budget_eval.intake.models import Proposal
    from budget_eval.assessment.documents.build import assessment_report, ReportError

    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise click.ClickException(f"没有编号为 {proposal_id} 的项目")
    try:
        output.write_bytes(assessment_report(proposal, Audience(audience)))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成 {output}")
