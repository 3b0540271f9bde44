"""intake: proposals, attachments, screening single and batch (art. 5)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug intake's pages, command and template filters into the app."""
    from budget_eval.intake import cli, formatting
    from budget_eval.intake.screening_views import bp as screening_bp
    from budget_eval.intake.views import bp as proposals_bp

    from budget_eval.intake import splits  # 疑似拆分: its receiver of state_changed and the admin's decision

    for blueprint in (proposals_bp, screening_bp, splits.bp):
        app.register_blueprint(blueprint)
    formatting.register(app)
    cli.register(app)
    from budget_eval.intake import screening_job

    screening_job.register(app)  # batch screening ends on its job's page: the summary and the screened file
    from budget_eval.intake.public_voice import answers
    from budget_eval.platform import public_voice

    public_voice.register_answers(app, answers)  # the proposals answering a hot word (the 十大热词 page asks)
    from budget_eval.intake.worklist import proposals_waiting
    from budget_eval.platform import worklist

    worklist.register(app, proposals_waiting)  # the 工作台's proposals
    worklist.register(app, splits.splits_waiting)  # undecided 疑似拆分 flags, for admins
    from budget_eval.intake.notices import proposal_notices
    from budget_eval.platform import notifications

    notifications.register(app, "proposal", proposal_notices)  # who is told when a proposal moves
    from budget_eval.intake import actions
    from budget_eval.intake.operations import return_submission

    if not actions.registered("return_submission"):
        actions.register("return_submission", return_submission)  # 退回补正 from the proposal page
    app.add_template_global(splits.flags_for, "split_flags_for")  # templates/proposals/_split_flags.html
    app.add_template_global(splits.group_names, "split_group_names")
