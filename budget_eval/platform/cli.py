"""The platform's commands: the first admin account, backup and restore."""
from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-admin")
@with_appcontext
@click.option("--username", prompt="用户名")
@click.option("--name", "display_name", default="系统管理员", show_default=True, help="姓名")
@click.option("--password", envvar="BUDGET_EVAL_ADMIN_PASSWORD", help="不给出时交互输入")
def create_admin(username: str, display_name: str, password: str | None) -> None:
    """Create the first 财政管理员 account."""
    import re

    from budget_eval.platform.audit import audit, command_line
    from budget_eval.platform.models.user import User, username_key

    username = username.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{3,64}", username):
        raise click.ClickException("用户名为3至64位字母、数字、下划线、点或连字符")
    if existing := db.session.scalar(select(User.username).where(User.username_key == username_key(username))):
        raise click.ClickException(f"用户名 {username} 已存在" if existing == username
                                   else f"用户名 {username} 与已有的 {existing} 仅大小写或字形不同")
    from budget_eval.platform.auth.passwords import hash_password, password_problem

    password = password or getpass.getpass(f"密码（至少{current_app.config['PASSWORD_MIN_LENGTH']}位）：")
    if problem := password_problem(password, username, display_name=display_name):
        raise click.ClickException(problem)
    user = User(username=username, display_name=display_name, role=Role.ADMIN, password_hash=hash_password(password))
    db.session.add(user)
    audit("admin", username, "新建管理员（财政管理员，已设初始密码）", command_line("create-admin"))
    db.session.commit()
    click.echo(f"已创建管理员 {username}")


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
    from budget_eval.platform.audit import audit, command_line

    audit("admin", "数据库", f"从备份“{source.name}”恢复 {sum(manifest['tables'].values())} 条记录（数据库版本 "
          f"{manifest['revision']}）", command_line("restore"))
    db.session.commit()
    click.echo(f"已恢复 {sum(manifest['tables'].values())} 条记录")
    from budget_eval.platform import signals

    signals.restored.send(current_app._get_current_object(), actor=command_line("restore"))  # derived figures
