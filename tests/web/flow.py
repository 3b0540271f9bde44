"""Steps of the assessment workflow driven through the web, shared by the workflow tests."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from budget_eval.assessment.domain.assessment_rules import load_assessment_rules
from budget_eval.platform.domain.roles import Role
from budget_eval.platform.extensions import db
from budget_eval.assessment.models import PanelMember
from budget_eval.intake.models import Proposal
from budget_eval.assessment.panels import rules_of
from budget_eval.demo.evidence_pdf import pdf_document
from budget_eval.intake import attachments
from tests.web.client import WebClient
from tests.web.factories import form_post

TEMPLATE = load_assessment_rules(Path(__file__).resolve().parents[2] / "rules", "infra").template
KEYS = [i.key for i in TEMPLATE.indicators]


class World:
    """A department under an authority, finance staff and experts, each with a signed-in client."""

    def __init__(self, app, make):
        self.app, self.make = app, make
        authority = make.department("杭州市卫生健康委员会")
        self.department = make.department("杭州市第一人民医院", authority=authority)
        self.department.sector_authority = authority  # here the parent unit is the sector authority too
        db.session.commit()
        self.staff = make.user(Role.DEPARTMENT, self.department)
        self.authority_staff = make.user(Role.DEPARTMENT, authority)
        self.finance = make.user(Role.REVIEWER, make.department("杭州市财政局"))
        self.admin = make.user(Role.ADMIN)
        self.experts = [make.user(Role.EXPERT) for _ in range(3)]

    def client(self, user) -> WebClient:
        client = WebClient(self.app)
        client.login(user)
        return client

    def submit(self, **overrides) -> Proposal:
        response = self.client(self.staff).post("/proposals/new", form_post(**overrides))
        assert response.status_code == 302
        return db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))

    def to_self_assessment(self, proposal: Proposal) -> None:
        finance = self.client(self.finance)
        assert finance.post(f"/proposals/{proposal.id}/act/accept").status_code == 302
        self.designate(proposal)
        db.session.refresh(proposal)
        statuses = received(proposal)
        finance.post(f"/proposals/{proposal.id}/materials", statuses)
        finance.post(f"/proposals/{proposal.id}/act/materials_complete")

    def designate(self, proposal: Proposal, kind: str = "finance", **third_party) -> None:
        """Finance records the assessor of record (art. 2) at the materials check."""
        response = self.client(self.finance).post(f"/proposals/{proposal.id}/assessor", {"kind": kind, **third_party})
        assert response.status_code == 302, response.get_data(as_text=True)

    def review(self, proposal: Proposal, action: str, opinion: str = "报告依据充分，同意") -> None:
        """A review of the report (art. 5): sector_pass/return by the sector authority, finance_pass/return."""
        user = self.authority_staff if action.startswith("sector") else self.finance
        assert self.client(user).post(f"/proposals/{proposal.id}/act/{action}", {"reason": opinion}).status_code == 302

    def to_reviewed(self, proposal: Proposal) -> None:
        """Send a supported report for review; the sector authority and finance pass it."""
        self.client(self.staff).post(f"/proposals/{proposal.id}/act/send_review")
        self.review(proposal, "sector_pass")
        self.review(proposal, "finance_pass")

    def self_assess(self, proposal: Proposal, score: str = "8") -> None:
        data = {f"score-{k}": score for k in KEYS}
        for d in TEMPLATE.dimensions:
            data |= {f"facts-{d.code}": "情况", f"problems-{d.code}": "问题", f"judgement-{d.code}": "结论"}
        data["action"] = "submit"
        self.client(self.staff).post(f"/proposals/{proposal.id}/self-assessment", data)

    def to_finance_review(self, proposal: Proposal) -> None:
        self.to_self_assessment(proposal)
        self.self_assess(proposal)
        self.client(self.authority_staff).post(f"/proposals/{proposal.id}/act/authority_approve")

    def assign(self, proposal: Proposal, users) -> list[PanelMember]:
        admin = self.client(self.admin)
        admin.post(f"/proposals/{proposal.id}/assessment/panel", {"user_id": [str(u.id) for u in users],
                                                                  "reason": "测试：指定评审人"})
        db.session.refresh(proposal)
        return list(proposal.current_assessment.members)

    def score(self, member: PanelMember, each: str, step: str = "submit", **extra):
        if rules_of(member.assessment).by_points:
            data = self.point_sheet(member, each)
        else:
            data = {f"score-{k}": each for k in KEYS}
            data |= {f"comment-{k}": "依据充分" for k in KEYS}
        data |= {"opinion": "同意", "step": step, **extra}
        return self.client(member.user).post(f"/reviews/{member.id}", data)

    def point_sheet(self, member: PanelMember, each: str) -> dict:
        """A sheet rated by 审核要点 whose indicators come nearest to `each`, every 要点 citing page 1 of a
        material (a one-page PDF is uploaded when the proposal has none), every dimension analysed."""
        rules = rules_of(member.assessment)
        proposal = member.assessment.proposal
        from budget_eval.assessment.evidence import page_count

        readable = [a for a in proposal.attachments if page_count(a)]  # received() may have made a file row only
        if not readable:
            readable = [attachments.store(proposal, io.BytesIO(pdf_document("申报材料", [["项目测算说明"]])),
                                          "申报材料.pdf", self.staff)]
        file = str(readable[0].id)
        data: dict = {}
        for indicator in rules.template.indicators:
            first, second = indicator.audit_points
            pairs = [(a, b) for a in rules.scoring.levels for b in rules.scoring.levels]
            a, b = min(pairs, key=lambda pair: abs(rules.scoring.level_points(pair[0], first.points)
                                                   + rules.scoring.level_points(pair[1], second.points) - Decimal(each)))
            for point, level in ((first, a), (second, b)):
                data |= {f"level-{point.key}": level, f"comment-{point.key}": "依据充分",
                         f"cite-{point.key}-1-file": file, f"cite-{point.key}-1-page": "1"}
        for d in rules.template.dimensions:
            data |= {f"facts-{d.code}": "材料第1页", f"problems-{d.code}": "无", f"conclusion-{d.code}": "符合要求"}
        return data

    def declare_and_score(self, member: PanelMember, each: str):
        client = self.client(member.user)
        client.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
        return self.score(member, each)

    def conclude(self, proposal: Proposal, opinion: str = "总体可行", **kwargs):
        return self.client(self.admin).post(f"/proposals/{proposal.id}/assessment/conclude",
                                            {"opinion": opinion, "problems": "测算偏粗", "suggestions": "细化预算"},
                                            **kwargs)


def received(proposal: Proposal, items=None) -> dict:
    """The materials form marking `items` (default: every item) 已收, each as the proposal's first attachment (a
    stored file row is made where it has none: 已收 needs a file or a waiver)."""
    import uuid

    from budget_eval.intake.models import Attachment

    db.session.refresh(proposal)
    file = proposal.attachments[0] if proposal.attachments else None  # the department's own upload, if any
    if file is None:
        file = Attachment(proposal_id=proposal.id, filename="申报材料.pdf", storage_key=uuid.uuid4().hex, size=1,
                          sha256="0" * 64, uploaded_by_id=proposal.created_by_id)
        db.session.add(file)
        db.session.commit()
    chosen = proposal.materials if items is None else items
    return {f"status-{m.id}": "received" for m in chosen} | {f"file-{m.id}": str(file.id) for m in chosen}
