"""Meetings' command: `flask meeting-pack`, the meeting pack as one .zip."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from budget_eval.platform.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(meeting_pack)


@click.command("meeting-pack")
@with_appcontext
@click.argument("proposal_ids", nargs=-1, required=True, type=int)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="输出 .zip")
@click.option("--title", required=True, help="会议名称（印在封面，如“2027年第3次市长办公会议”）")
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
    from budget_eval.meetings.operations import may_take

    refused = [f"{i}（{found[i].name}）" for i in proposal_ids if not may_take(found[i])]
    if refused:
        raise click.ClickException("以下项目不能提交会议审议（评估报告尚未经行业主管部门和财政局审核通过）："
                                   + "、".join(refused))
    try:
        output.write_bytes(make_pack([found[i] for i in proposal_ids], title, order, pdf=pdf))
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已生成 {output}（{len(proposal_ids)} 个项目）")
