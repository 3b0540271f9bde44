"""Where the public's voice and the proposals meet: an extension point, so that neither feature imports the other.

The departmental evaluation knows what the public said (comments and hot words of each year); intake knows the
proposals and their stage. A reviewer scoring 立项必要性 should see what the public said about the problem a
proposal claims to answer, and the 考评办 reading the 十大热词 should see which proposals answer each topic. Each
side registers one provider from its own init_app, into the app (not a module global, so every app built by
create_app has its own):

- evaluation: ``register_voice(app, provider)``; ``provider(Need) -> PublicVoice | None`` finds the comments and
  hot words that bear on a proposal's department, 绩效目标 and text, in the latest published evaluation year;
- intake: ``register_answers(app, provider)``; ``provider(topics, user) -> {topic: [Answer, ...]}`` finds the
  proposals whose text names each topic, with their stage (and a link only for a user who may open them).

With no provider registered the lookups return nothing: the pages then simply show no such section.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import Flask, current_app

_KEY = "budget_eval.public_voice"


@dataclass(frozen=True)
class Need:
    """What a proposal says it answers: its department, its name, its 绩效目标 and its text (立项依据 …)."""

    department: str
    title: str
    goals: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Topic:
    """One hot word that bears on a proposal, with how it was matched and what people said."""

    word: str
    people: int  # who raised it (each rater once), city-wide
    share: float  # of everyone who rated that year
    matched_by: str  # in words: 项目名称提到“地铁” / 绩效目标提到“拥堵” / 本部门的社会评价热词
    comments: tuple[str, ...]  # representative comments
    rank: int = 0  # its place in the year's ranking (city-wide, or the department's when matched by department)
    scope: str = "全市"  # 全市, or the department's name
    url: str = ""  # the drill-down to its comments


@dataclass(frozen=True)
class PublicVoice:
    year: int
    raters: int
    topics: tuple[Topic, ...]
    url: str = ""  # the year's hot-word page
    report_url: str = ""  # the year's 社会评价意见报告


@dataclass(frozen=True)
class Answer:
    """A proposal that answers a topic, and its stage."""

    proposal_id: int
    title: str
    department: str
    stage: str
    year: int | None = None
    url: str = ""  # empty when this user may not open the proposal
    matched_by: str = ""


VoiceProvider = Callable[[Need], "PublicVoice | None"]
AnswerProvider = Callable[[Sequence[str], object], "dict[str, list[Answer]]"]


@dataclass
class _Registry:
    voice: list[VoiceProvider] = field(default_factory=list)
    answers: list[AnswerProvider] = field(default_factory=list)


def _registry(app: Flask | None = None) -> _Registry:
    app = app or current_app
    found = app.extensions.get(_KEY)
    if found is None:
        found = app.extensions[_KEY] = _Registry()
    return found


def register_voice(app: Flask, provider: VoiceProvider) -> None:
    _registry(app).voice.append(provider)


def register_answers(app: Flask, provider: AnswerProvider) -> None:
    _registry(app).answers.append(provider)


def voice_for(need: Need) -> PublicVoice | None:
    """The public's voice on a proposal, from the first provider that has any."""
    for provider in _registry().voice:
        found = provider(need)
        if found is not None and found.topics:
            return found
    return None


def answers_for(topics: Sequence[str], user: object) -> dict[str, list[Answer]]:
    """topic → the proposals that answer it, from every provider."""
    merged: dict[str, list[Answer]] = {}
    for provider in _registry().answers:
        for topic, answers in provider(topics, user).items():
            merged.setdefault(topic, []).extend(answers)
    return merged
