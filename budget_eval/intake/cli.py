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
    summary = "，".join(f"{label} {count}" for label, count in sorted(result.counts.items()))
    click.echo(f"已筛查 {result.rows} 行：{summary}。结果写入 {output}")
