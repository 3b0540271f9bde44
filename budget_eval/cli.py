"""The commands that touch every feature: `flask seed-demo`, `flask rules check` and `flask template` (each
feature adds its own commands from its init_app)."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(rules_group)
    app.cli.add_command(template_command)


@click.command("seed-demo")
@with_appcontext
@click.option("--reset", is_flag=True, help="先清空全部数据再写入演示数据")
def seed_demo(reset: bool) -> None:
    """Load demo departments, users of every role and a dozen proposals; print the logins."""
    from budget_eval.demo import seed

    try:
        logins = seed(reset=reset)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("演示账号（密码均为 %s）：" % logins.password)
    for username, role, department in logins.users:
        click.echo(f"  {username:<14} {role:<6} {department}")


@click.group("rules", cls=AppGroup)
def rules_group() -> None:
    """Policy files in rules/."""


@rules_group.command("check")
def rules_check() -> None:
    """Validate every rule file (schemes included) and list every number without a source; exit 1 if any."""
    from budget_eval.rules_check import check_directory

    report = check_directory(Path(current_app.config["RULES_DIR"]))
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)


@click.command("template")
@with_appcontext
@click.argument("kind", type=click.Choice(["batch_screening", "survey", "leader_scores"]))
@click.option("--scheme", default="hangzhou", show_default=True, help="问卷模板的受访者类别和评价取自该考评方案")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def template_command(kind: str, scheme: str, output: Path) -> None:
    """Write an import template (.xlsx): canonical headers, an example row, drop-downs (intake's project list,
    evaluation's survey and leader scores)."""
    from budget_eval.evaluation import cli as evaluation_cli
    from budget_eval.intake.batch_screening import template_choices
    from budget_eval.intake.rules import screening_rules
    from budget_eval.platform.imports import template_xlsx

    if kind in evaluation_cli.TEMPLATE_KINDS:
        choices = evaluation_cli.template_choices(scheme)
    else:
        choices = template_choices(screening_rules())
    output.write_bytes(template_xlsx(kind, choices))
    click.echo(f"已写入 {output}")
