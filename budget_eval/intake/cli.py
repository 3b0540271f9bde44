"""Intake's command: `flask screen`, art. 5 screening of a whole project list."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext


def register(app: Flask) -> None:
    app.cli.add_command(screen)


@click.command("screen")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .xlsx")
def screen(source: Path, output: Path) -> None:
    """Screen a project list (.xlsx/.csv) under art. 5 and write the results as .xlsx."""
    from budget_eval.intake.batch_screening import BatchError, screen_file
    from budget_eval.intake.rules import screening_rules

    try:
        result = screen_file(source, source.name, screening_rules(), output)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    from budget_eval.intake.batch_screening import audit_batch
    from budget_eval.platform.audit import command_line
    from budget_eval.platform.extensions import db

    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:  # the command also works on a machine with no database (a file in, a file out): then nothing to log to
        audit_batch(source.name, result, command_line("screen"))
        db.session.commit()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        click.echo("（未连接到已建表的数据库，本次筛查未写入审计日志）", err=True)
    summary = "，".join(f"{label} {count}" for label, count in sorted(result.counts.items()))
    click.echo(f"已筛查 {result.rows} 行：{summary}。结果写入 {output}")
