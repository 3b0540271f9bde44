"""十大热词 as a background job (issue 22): segmenting a year's comments takes seconds to minutes, so no request
computes them. When the comments change (a survey import, the office confirming, re-routing or merging comments)
or the office presses 「重新计算」, one job per year is queued (a second start while one is queued or running gets
that one: platform.jobs.start_once); it segments the comments with progress, stores the year's analysis and each
unit's own topics (platform/derived.py), and is audited with the user who started it. Pages read what is stored
and, until it is, say that it is being computed.

Set-up steps that have no signed-in user (the command line, the demo, tests' set-up) compute at once instead
(`changed` with a non-user actor): they are not requests."""
from __future__ import annotations

from collections.abc import Callable
from typing import cast

from flask import Flask, current_app, has_request_context, url_for

from budget_eval.evaluation.domain.hotword_comments import merge
from budget_eval.evaluation.domain.hotword_ranking import Analysis
from budget_eval.evaluation.domain.hotwords import Segmenter
from budget_eval.evaluation import versions
from budget_eval.evaluation.hotwords import (HOTWORDS, IDS, compute_year_hot_words, segmenter, year_comments, year_key)
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.evaluation.unit_words import compute_unit_words
from budget_eval.platform import jobs
from budget_eval.platform.audit import Actor, audit
from budget_eval.platform.derived import keep_only
from budget_eval.platform.extensions import db
from budget_eval.platform.models.job import Job

KIND = "hotwords"
PASSES = 3  # comments changed while the job read them: computed again (a change made then found this job running)
TICK = 200  # distinct comments segmented between two progress reports


def register(app: Flask) -> None:
    jobs.register(app, KIND, run)


def single(year: EvaluationYear) -> str:
    """What makes two hot-word jobs the same work: the year."""
    return f"hotwords:year:{year.id}"


def start(year: EvaluationYear, user) -> tuple[Job, bool]:
    """Queue the year's computation unless one is queued or running (then that one); (the job, started now)."""
    return jobs.start_once(KIND, f"{year.year}年度十大热词计算", user, {"year_id": year.id}, single(year),
                           back_url=_back(year))


def changed(year: EvaluationYear, actor) -> None:
    """The year's comments changed (call it after the change is committed): a signed-in user's change queues the
    job in that user's name; a set-up step with no user computes at once, audited with its actor."""
    if isinstance(actor, Actor) or getattr(actor, "id", None) is None:
        compute(year, actor)
        db.session.commit()
    else:
        start(year, actor)


def after_restore(app, actor) -> None:
    """A restored database has no derived figures (a backup leaves them out): every year's hot words are computed
    here, on the command line that restored it, audited with it, under the versions restored with the comments
    (the backup holds both: the figures computed now are of the restored comments, keyed by the restored versions).
    A year with no survey row has nothing to compute: its pages show an empty analysis."""
    import click
    from sqlalchemy import select

    from budget_eval.evaluation.models import SurveyResponse

    for year in db.session.scalars(select(EvaluationYear).order_by(EvaluationYear.year)).all():
        if db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.year_id == year.id).limit(1)) is None:
            continue
        analysis = compute(year, actor)
        db.session.commit()
        click.echo(f"已计算{year.year}年度十大热词：{_summary(analysis)}")


def active(year: EvaluationYear) -> Job | None:
    return jobs.active_job(single(year))


def latest(year: EvaluationYear) -> Job | None:
    return jobs.latest_job(single(year))


def run(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    year = db.session.get(EvaluationYear, job.params["year_id"])
    if year is None:
        raise jobs.JobError("该考评年度已不存在")
    analysis = compute(year, job.user, progress, via=f"后台任务#{job.id}")
    return jobs.Outcome(f"十大热词已计算：{_summary(analysis)}。")


def compute(year: EvaluationYear, actor, progress: jobs.Progress | None = None, via: str = "") -> Analysis:
    """Segment the year's comments (reporting distinct comments segmented / total), store the year's analysis and
    every unit's topics, and audit it with the actor (in the session: the caller commits). If the comments changed
    while they were read, they are read again (up to PASSES times)."""
    if progress is not None:
        progress(0, 0, "正在载入分词词典并读取意见")
    base = segmenter()  # about a second the first time in a worker (jieba's dictionary)
    for _ in range(PASSES):
        version = versions.current(year.id)  # first: what is read after it is at least as new as it says
        key = year_key(year, version=version.comments)
        comments = year_comments(year)
        texts = [m.text for m in merge(comments)]  # in the order the analysis reads them
        memo = Memo(base, len(texts), progress)
        if progress is not None:
            progress(0, len(texts), f"正在分词：共 {len(texts)} 条不同意见")
        memo.segment_all(texts)
        stored_key, analysis = compute_year_hot_words(year, segment_with=cast(Segmenter, memo), read=(key, comments))
        kept = {stored_key, stored_key + IDS}
        for unit in year.units:
            for confirmed_only in (True, False):
                kept.add(compute_unit_words(unit, confirmed_only, cast(Segmenter, memo), version))
        db.session.commit()  # ends the read (nothing written yet): the next look sees changes committed meanwhile
        if versions.current(year.id) == version:
            break  # else a change committed meanwhile: what was read is stored under the older key, read again
    keep_only(HOTWORDS, f"year:{year.id}", kept)  # the figures of older versions: no key matches them any more
    audit("hotwords", f"{year.year}年度十大热词", f"计算十大热词{'（' + via + '）' if via else ''}：{_summary(analysis)}",
          actor)
    return analysis


def _summary(analysis: Analysis) -> str:
    words = "、".join(w.word for w in analysis.city.criticism[:10])
    return (f"意见 {analysis.comments} 条（不同文本 {analysis.merged} 条），评价人数 {analysis.raters}"
            + (f"；十大热词：{words}" if words else "；没有热词"))


class Memo:
    """The segmenter with each distinct text segmented once for the whole job (the city, then every unit), and
    progress reported as texts are segmented. Only `terms` and `is_praise` read a text; the rest is the
    segmenter's own."""

    def __init__(self, inner: Segmenter, total: int, progress: Callable[..., None] | None):
        self._inner, self._total, self._progress = inner, total, progress
        self._terms: dict[str, set[str]] = {}
        self._praise: dict[str, bool] = {}

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def segment_all(self, texts: list[str]) -> None:
        for n, text in enumerate(texts, 1):
            self.terms(text)
            self.is_praise(text)
            if self._progress is not None and (n % TICK == 0 or n == len(texts)):
                self._progress(n, self._total, f"已分词 {n} / {self._total} 条不同意见")

    def terms(self, text: str) -> set[str]:
        if text not in self._terms:
            self._terms[text] = self._inner.terms(text)
        return self._terms[text]

    def is_praise(self, text: str) -> bool:
        if text not in self._praise:
            self._praise[text] = self._inner.is_praise(text)
        return self._praise[text]


def _back(year: EvaluationYear) -> str:
    """The year's hot-word page, also from a worker (a job started by a survey import has no request to build
    the address with)."""
    if has_request_context():
        return url_for("feedback.hotwords", year=year.year)
    return str(current_app.url_map.bind("").build("feedback.hotwords", {"year": year.year}))
