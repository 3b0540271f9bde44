"""The public's voice on the scoring page: the template global ``public_voice_of(proposal)`` asks
platform.public_voice (evaluation provides it) with intake's account of what the proposal answers."""
from __future__ import annotations

from budget_eval.intake.models import Proposal
from budget_eval.intake.public_voice import need_of
from budget_eval.platform.public_voice import PublicVoice, voice_for


def public_voice_of(proposal: Proposal) -> PublicVoice | None:
    return voice_for(need_of(proposal))
