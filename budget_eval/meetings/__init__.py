"""meetings: executive meetings, their agenda items and decisions, and the meeting pack."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the meeting pages and command into the app, and the decisions into the proposal page."""
    from budget_eval.intake import signals
    from budget_eval.meetings import cli
    from budget_eval.meetings.proposal_page import decisions_section
    from budget_eval.meetings.views import bp as meetings_bp

    app.register_blueprint(meetings_bp)
    cli.register(app)
    from budget_eval.meetings import pack_job

    pack_job.register(app)
    signals.proposal_results.connect(decisions_section)
    from budget_eval.meetings.worklist import meetings_waiting
    from budget_eval.platform import worklist

    worklist.register(app, meetings_waiting)  # undecided meeting items on the 工作台
