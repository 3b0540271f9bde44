"""Command-line tools: `flask --app budget_eval <command>`."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.assessment.domain.visibility import Audience
from budget_eval.platform.domain.ruleset import RuleError
from budget_eval.platform.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(screen)
    app.cli.add_command(rules_group)
    app.cli.add_command(report)
    app.cli.add_command(meeting_pack)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from budget_eval.evaluation.cli import evaluation_group, hotwords_command, survey_group, template_command

    app.cli.add_command(survey_group)
    app.cli.add_command(evaluation_group)
    app.cli.add_command(hotwords_command)
    app.cli.add_command(template_command)


@click.command("create-admin")
@with_appcontext
@click.option("--username", prompt="用户名")
@click.option("--name", "display_name", default="系统管理员", show_default=True, help="姓名")
@click.option("--password", envvar="BUDGET_EVAL_ADMIN_PASSWORD", help="不给出时交互输入")
def create_admin(username: str, display_name: str, password: str | None) -> None:
    """Create the first 财政管理员 account."""
    from budget_eval.platform.models.user import User

    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"用户名 {username} 已存在")
    from budget_eval.platform.auth.passwords import hash_password, password_problem

    password = password or getpass.getpass(f"密码（至少{current_app.config['PASSWORD_MIN_LENGTH']}位）：")
    if problem := password_problem(password, username):
        raise click.ClickException(problem)
    user = User(username=username, display_name=display_name, role=Role.ADMIN, password_hash=hash_password(password))
    db.session.add(user)
    db.session.commit()
    click.echo(f"已创建管理员 {username}")


@click.command("seed-demo")
@with_appcontext
@click.option("--reset", is_flag=True, help="先清空全部数据再写入演示数据")
def seed_demo(reset: bool) -> None:
    """Load demo departments, users of every role and a dozen proposals; print the logins."""
    from budget_eval.platform.demo import seed

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
    from budget_eval.intake.batch_screening import BatchError, screen_file
    from budget_eval.platform.rules import screening_rules

    try:
        result = screen_file(source, source.name, screening_rules(), output)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    summary = "，".join(f"{label} {count}" for label, count in sorted(result.counts.items()))
    click.echo(f"已筛查 {result.rows} 行：{summary}。结果写入 {output}")


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


@click.command("meeting-pack")
@with_appcontext
@click.argument("proposal_ids", nargs=-1, required=True, type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .zip")
@click.option("--title", default="市政府常务会议", show_default=True, help="会议名称")
@click.option("--order", type=click.Choice(["score", "amount", "department", "given"]), default="score",
              show_default=True, help="排序：得分、申请资金、部门或按给出的顺序")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="装有 LibreOffice 时同时生成 PDF")
def meeting_pack(proposal_ids: tuple[int, ...], output: Path, title: str, order: str, pdf: bool) -> None:
    """Write the meeting pack in one .zip: the whole pack as one .docx (and .pdf), and the summary .xlsx."""
    from sqlalchemy import select

    from budget_eval.intake.models import Proposal
    from budget_eval.assessment.documents.build import ReportError
    from budget_eval.meetings.pack import meeting_pack as make_pack

    found = {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(proposal_ids)))}
    missing = [str(i) for i in proposal_ids if i not in found]
    if missing:
        raise click.ClickException("没有这些编号的项目：" + "、".join(missing))
    try:
        output.write_bytes(make_pack([found[i] for i in proposal_ids], title, order, pdf=pdf))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成 {output}（{len(proposal_ids)} 个项目）")


@click.command("backup")
@with_appcontext
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .tar.gz")
def backup_command(output: Path) -> None:
    """Back up every table and the attachment store into one archive."""
    from budget_eval.platform.backup import backup

    manifest = backup(output)
    click.echo(f"已备份 {sum(manifest['tables'].values())} 条记录到 {output}（数据库版本 {manifest['revision']}）")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(source: Path) -> None:
    """Restore an archive into an empty database (run `flask db upgrade` first) and attachment store."""
    from budget_eval.platform.backup import BackupError, restore

    try:
        manifest = restore(source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已恢复 {sum(manifest['tables'].values())} 条记录")


@click.group("rules", cls=AppGroup)
def rules_group() -> None:
    """Policy files in rules/."""


@rules_group.command("check")
def rules_check() -> None:
    """Validate every rule file (schemes included) and list every number without a source; exit 1 if any."""
    from budget_eval.platform.rules_check import check_directory

    report = check_directory(Path(current_app.config["RULES_DIR"]))
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)
