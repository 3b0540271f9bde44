"""Command-line tools: `flask --app budget_eval <command>`."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from budget_eval.domain.roles import Role
from budget_eval.domain.ruleset import RuleError
from budget_eval.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(screen)
    app.cli.add_command(rules_group)


@click.command("create-admin")
@with_appcontext
@click.option("--username", prompt="用户名")
@click.option("--name", "display_name", default="系统管理员", show_default=True, help="姓名")
@click.option("--password", envvar="BUDGET_EVAL_ADMIN_PASSWORD", help="不给出时交互输入")
def create_admin(username: str, display_name: str, password: str | None) -> None:
    """Create the first 财政管理员 account."""
    from budget_eval.models import User

    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"用户名 {username} 已存在")
    password = password or getpass.getpass("密码（至少8位）：")
    if len(password) < 8:
        raise click.ClickException("密码至少8位")
    user = User(username=username, display_name=display_name, role=Role.ADMIN)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.commit()
    click.echo(f"已创建管理员 {username}")


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


@click.command("screen")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .xlsx")
def screen(source: Path, output: Path) -> None:
    """Screen a project list (.xlsx/.csv) under art. 5 and write the results as .xlsx."""
    from budget_eval.services.batch_screening import BatchError, screen_file
    from budget_eval.services.rules import screening_rules

    try:
        result = screen_file(source, source.name, screening_rules(), output)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    summary = "，".join(f"{label} {count}" for label, count in sorted(result.counts.items()))
    click.echo(f"已筛查 {result.rows} 行：{summary}。结果写入 {output}")


@click.group("rules", cls=AppGroup)
def rules_group() -> None:
    """Policy files in rules/."""


@rules_group.command("check")
def rules_check() -> None:
    """Validate every rule file; exit non-zero on the first error."""
    from budget_eval.services.rules import check_all

    try:
        for line in check_all(Path(current_app.config["RULES_DIR"])):
            click.echo(line)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
