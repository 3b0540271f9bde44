"""evaluation: departmental evaluation (schemes, survey, hot words, units, appeals) and the comments' road to
rectification."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the evaluation pages and commands into the app."""
    from budget_eval.evaluation import cli, hotword_job, leader_job, notice_job, survey_job
    from budget_eval.evaluation.feedback_views import bp as feedback_bp
    from budget_eval.evaluation.views import bp as evaluation_bp

    for blueprint in (evaluation_bp, feedback_bp):
        app.register_blueprint(blueprint)
    cli.register(app)
    survey_job.register(app)  # the survey import runs as a background job
    leader_job.register(app)  # so does the leaders' scores import: each ends on its job's page with a summary
    notice_job.register(app)  # the 结果通报 (Word): LibreOffice lays it out, seconds
    hotword_job.register(app)  # 十大热词 are computed by a job when the comments change, never in a request
    from budget_eval.platform import signals

    signals.restored.connect(hotword_job.after_restore, app)  # a backup leaves them out: computed after a restore
    from budget_eval.evaluation import versions

    signals.state_changed.connect(versions.on_state_changed)  # a comment's 反馈确认 step raises its year's versions
    from budget_eval.evaluation.public_voice import voice
    from budget_eval.platform import public_voice

    public_voice.register_voice(app, voice)  # the public's voice on a proposal (the scoring page asks)
    from budget_eval.evaluation.worklist import evaluation_waiting
    from budget_eval.platform import worklist

    worklist.register(app, evaluation_waiting)  # appeals, verifications, rectifications on the 工作台
    from budget_eval.evaluation import notices

    notices.register(app)  # the departments are told of publication, withdrawal, correction and appeal decisions
