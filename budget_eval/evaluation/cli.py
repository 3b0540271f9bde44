"""Command line for the evaluation office's batch work: survey import, hot words, opening a year."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from budget_eval.platform import spreadsheets
from budget_eval.platform.audit import command_line
from budget_eval.platform.extensions import db
from budget_eval.platform.spreadsheets import Column

survey_group = AppGroup("survey", help="社会评价问卷。")
evaluation_group = AppGroup("evaluation", help="部门综合考评年度。")


def _year(year: int):
    from budget_eval.evaluation.models import EvaluationYear

    record = db.session.scalar(select(EvaluationYear).where(EvaluationYear.year == year))
    if record is None:
        raise click.ClickException(f"{year}年度考评尚未建立（flask evaluation open {year} --scheme hangzhou）")
    return record


@evaluation_group.command("open")
@click.argument("year", type=int)
@click.option("--scheme", "scheme_code", required=True, help="考评方案代码，如 hangzhou、haidian")
def open_command(year: int, scheme_code: str) -> None:
    """Open a year's evaluation under a scheme."""
    from budget_eval.evaluation.operations import EvaluationError, open_year

    try:
        record = open_year(year, scheme_code, command_line("evaluation open"))
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已建立{year}年度考评（{record.scheme_code}），考评单位{len(record.units)}个")


@survey_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="考评年度")
def import_command(source: Path, year: int) -> None:
    """Import survey responses; rejected rows are written beside the input with their reasons."""
    from budget_eval.evaluation.operations import scheme_of
    from budget_eval.evaluation.survey_import import import_responses, stream_responses, write_rejected
    from budget_eval.platform.imports import set_aside_note
    from budget_eval.platform.tables import TableError

    record = _year(year)
    try:  # read, checked and stored chunk by chunk as the file streams; nothing stored when it fails
        result = import_responses(record, stream_responses(source, source.name), scheme_of(record).survey,
                                  command_line("survey import"), filename=source.name)
    except TableError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"导入 {result.imported} 行，拒收 {result.rejected_count} 行{set_aside_note(result.skipped)}")
    if result.rejected_count:
        target = source.with_name(f"{source.stem}_拒收{'.csv' if source.suffix.lower() == '.csv' else '.xlsx'}")
        write_rejected(result.rejected, target)
        click.echo(f"拒收的行及原因已写入 {target}")


@click.command("hotwords")
@click.option("--year", type=int, help="从该年度已导入的意见建议中统计")
@click.option("--from-file", "from_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="从文件的“意见建议”列统计（如12345热线收集的意见）")
@click.option("--top", type=int, default=10, show_default=True)
@click.option("--department", help="只统计该单位的意见")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def hotwords_command(year: int | None, from_file: Path | None, top: int, department: str | None,
                     output: Path) -> None:
    """Count the top words in public comments and write 热词, 次数, 示例意见 as .xlsx."""
    from budget_eval.evaluation.domain.hotword_ranking import analyse
    from budget_eval.evaluation.domain.hotwords import Comment
    from budget_eval.evaluation.hotwords import compute_year_hot_words, segmenter
    from budget_eval.evaluation.survey_import import COL_COMMENT, COL_DEPT, read_any
    import pandas as pd

    if (year is None) == (from_file is None):
        raise click.ClickException("请给出 --year 或 --from-file 之一")
    if year is not None:
        analysis = compute_year_hot_words(_year(year), top)[1]  # computed here: the command line is no request
    else:
        table = read_any(from_file)
        if COL_COMMENT not in table.columns:
            raise click.ClickException(f"文件中没有“{COL_COMMENT}”列")
        departments = table[COL_DEPT] if COL_DEPT in table.columns else pd.Series("", index=table.index)
        pairs = zip(departments.fillna("").astype(str), table[COL_COMMENT].fillna("").astype(str), strict=True)
        analysis = analyse([Comment(n, d, c) for n, (d, c) in enumerate(pairs)], segmenter(), top=top)
    ranking = analysis.units.get(department) if department else analysis.city
    if department and ranking is None:
        raise click.ClickException(f"没有“{department}”的意见")
    words = ranking.criticism
    columns = [Column("排名", "text"), Column("热词", "text"), Column("提出人数", "integer"), Column("意见条数", "integer"),
               Column("涉及单位", "text"), Column("代表性意见", "text")]
    rows = [(w.rank_label, w.word, w.count, w.raw, "、".join(u for u, _ in w.units), "\n".join(w.examples))
            for w in words]
    output.write_bytes(spreadsheets.xlsx(spreadsheets.Table("社会评价热词", columns, rows)))
    click.echo("、".join(f"{w.word}（{w.count}）" for w in words))
    click.echo(f"已写入 {output}")


TEMPLATE_KINDS = ("survey", "leader_scores")  # evaluation's kinds of `flask template` (budget_eval.cli)


def template_choices(scheme: str) -> dict[str, list[str]]:
    """The drop-downs of a survey or leader-score template: respondent groups and answers of the scheme."""
    from budget_eval.evaluation.operations import available_schemes

    schemes = available_schemes()
    if scheme not in schemes:
        raise click.ClickException(f"没有考评方案“{scheme}”，可选：{'、'.join(schemes)}")
    survey = schemes[scheme].survey
    return {"受访者类别": list(survey.groups), "评价": [*survey.answers, *survey.unknown]}


def register(app) -> None:
    for command in (survey_group, evaluation_group, hotwords_command):
        app.cli.add_command(command)
