"""assessment: the proposal's assessment (materials, self-assessment, panels and scoring, conclusion), its
documents and the blind review."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug assessment's pages and command into the app, its steps and receivers into intake's extension points."""
    from budget_eval.assessment import cli, proposal_steps
    from budget_eval.assessment.documents.views import bp as reports_bp
    from budget_eval.assessment.expert_views import bp as experts_bp
    from budget_eval.assessment.domain.visibility import blinded_receiver
    from budget_eval.assessment.pipeline import bp as pipeline_bp
    from budget_eval.assessment.proposal_page import conclusions_section, workflow_links
    from budget_eval.assessment.review_views import bp as reviews_bp
    from budget_eval.assessment.views import bp as assessments_bp
    from budget_eval.assessment.economy_views import bp as economy_bp
    from budget_eval.assessment import draw_views  # noqa: F401 (the draw's routes, on the assessments blueprint)
    from budget_eval.assessment import record_views  # noqa: F401 (methods and steps, on the assessments blueprint)
    from budget_eval.assessment import self_assessment_views  # noqa: F401 (部门自评, on the assessments blueprint)
    from budget_eval.intake import signals

    for blueprint in (assessments_bp, reviews_bp, pipeline_bp, reports_bp, experts_bp, economy_bp):
        app.register_blueprint(blueprint)
    cli.register(app)
    proposal_steps.register()  # its steps on the proposal page (intake.actions)
    from budget_eval.assessment.worklist import assessment_waiting
    from budget_eval.platform import worklist

    worklist.register(app, assessment_waiting)  # panel seats and rounds on the 工作台
    from budget_eval.assessment.worklist import seat_notices
    from budget_eval.platform import notifications

    notifications.register(app, "score_sheet", seat_notices)  # a reviewer is told of their new seat
    signals.proposal_blinded.connect(blinded_receiver)
    from budget_eval.assessment.pipeline import forget_workload
    from budget_eval.platform.signals import state_changed

    state_changed.connect(forget_workload)  # the pipeline's stored workload follows the panel seats
    from budget_eval.assessment.seat_counts import recount_on_state_change

    state_changed.connect(recount_on_state_change)  # a round's seats by state (the 工作台's lists of rounds)
    from budget_eval.assessment.unit_cost_library import forget_library_on_state_change

    state_changed.connect(forget_library_on_state_change)  # which proposals' cost lines the library counts
    signals.proposal_results.connect(conclusions_section)
    signals.proposal_links.connect(workflow_links)
    from budget_eval.assessment.public_voice import public_voice_of

    app.add_template_global(public_voice_of, "public_voice_of")  # templates/reviews/_public_voice.html
    from budget_eval.assessment.domain.scoring import plain

    app.add_template_filter(lambda value: plain(value) if value is not None else "", "plain")  # 5, 1.5 (no .00)
    from budget_eval.assessment.economy import comparisons_for

    app.add_template_global(comparisons_for, "economy_comparisons")  # templates/reviews/_economy.html
    from budget_eval.assessment import economy_report, method_findings

    method_findings.register(app, economy_report.method_findings_of)  # the report names the methods really used
