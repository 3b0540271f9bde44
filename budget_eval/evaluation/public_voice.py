"""Evaluation's provider of the public's voice (platform.public_voice): the hot words of the latest published year
that bear on a proposal, with their people and representative comments."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from budget_eval.evaluation.domain.states import YearStatus
from budget_eval.evaluation.domain.voice_match import matches
from budget_eval.evaluation.hotwords import year_hot_words
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.platform.extensions import db
from budget_eval.platform.public_voice import Need, PublicVoice, Topic

EXAMPLES = 3


def latest_published() -> EvaluationYear | None:
    return db.session.scalar(select(EvaluationYear).where(EvaluationYear.status == YearStatus.PUBLISHED.value)
                             .order_by(EvaluationYear.year.desc()).limit(1))


def voice(need: Need) -> PublicVoice | None:
    year = latest_published()
    if year is None:
        return None
    analysis = year_hot_words(year)  # stored by the hot-word job; while it computes them, no voice is shown
    if analysis is None:
        return None
    fields = (("项目名称", need.title), ("绩效目标", "；".join(need.goals)), ("申报内容", need.text))
    topics = tuple(
        Topic(word=m.word.word, people=m.word.count, share=m.word.share, matched_by=m.reason,
              comments=m.word.examples[:EXAMPLES], rank=m.word.rank, scope=m.scope or "全市",
              url=url_for("feedback.hotword_comments", year=year.year, word=m.word.word, unit=m.scope or None))
        for m in matches(analysis, need.department, fields))
    return PublicVoice(year.year, analysis.raters, topics, url=url_for("feedback.hotwords", year=year.year),
                       report_url=url_for("feedback.report", year=year.year))
