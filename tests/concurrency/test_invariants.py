"""check_invariants says nothing about a consistent database and names each rule a change breaks.

Runs on SQLite and PostgreSQL (the web tests' `app` fixture); the records come through the web flow.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.concurrency.invariants import check_invariants
from tests.web.flow import World


@pytest.fixture
def world(app, make):
    return World(app, make)


@pytest.fixture
def engine(app) -> sa.Engine:
    return app.extensions["sqlalchemy"].engine


@pytest.fixture
def concluded(world) -> int:
    """A proposal concluded 予以支持 by three reviewers, its report passed by the sector authority and finance."""
    proposal = world.submit()
    world.to_finance_review(proposal)
    for member in world.assign(proposal, [world.finance, *world.experts[:2]]):
        world.declare_and_score(member, "9.3")
    assert world.conclude(proposal).status_code == 302
    world.to_reviewed(proposal)
    return proposal.id


def rules_after(engine: sa.Engine, sql: str, **params) -> set[str]:
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)
    return {violation.split(":")[0] for violation in check_invariants(engine)}


def test_a_consistent_database_has_no_violations(world, concluded, engine):
    world.client(world.admin).post("/meetings/", {"kind": "executive", "title": "专题会议", "proposal_id": str(concluded)})
    assert check_invariants(engine) == []


def test_a_second_event_for_one_transition(concluded, engine):
    assert rules_after(engine, 
        "INSERT INTO proposal_event (proposal_id, at, user_id, action, from_status, to_status, note) "
        "SELECT proposal_id, at, user_id, action, from_status, to_status, note FROM proposal_event "
        "WHERE proposal_id = :p AND to_status = 'concluded'", p=concluded) == {
        "history chain ends in the proposal's status, one event per transition",
        "one conclusion per concluded round",
        "one audit line per history event (audit_event kind 'state', subject = the proposal's name)",
    }


def test_a_round_open_again_after_its_conclusion(concluded, engine):
    assert rules_after(engine, "UPDATE assessment SET status = 'open' WHERE proposal_id = :p", p=concluded) == {
        "one conclusion per concluded round",
        "an open round exactly while the proposal is in finance review",
        "a concluded round has its conclusion, who issued it and when; an open round has none",
    }


def test_a_sheet_reopened_after_the_conclusion(concluded, engine):
    assert rules_after(
        engine, "UPDATE panel_member SET status = 'accepted', submitted_at = NULL WHERE id = (SELECT MIN(m.id) "
        "FROM panel_member m JOIN assessment a ON a.id = m.assessment_id WHERE a.proposal_id = :p)",
        p=concluded) == {"a concluded round has every sheet submitted or declined (the conclusion counts all of them)",
                         # a write past the one status writer leaves the round's stored counts behind
                         "a round's stored seat counts are its seats recounted (the 工作台 finds its rounds by them)"}


def test_an_amount_with_a_deferral(world, concluded, engine):
    admin = world.client(world.admin)
    admin.post("/meetings/", {"kind": "mayor", "title": "专题会议", "proposal_id": str(concluded)})
    with engine.connect() as conn:
        item = conn.execute(sa.text("SELECT id FROM meeting_item WHERE proposal_id = :p"), {"p": concluded}).scalar()
    admin.post(f"/meetings/items/{item}/decide", {"decision": "deferred"})
    # the database itself refuses an amount beside a deferral (CHECK constraint), so the rule never sees one
    with pytest.raises(sa.exc.IntegrityError):
        rules_after(engine, "UPDATE meeting_item SET approved_wan = 300000 WHERE id = :i", i=item)
    assert check_invariants(engine) == []


def test_a_foreign_key_to_nowhere(concluded, engine):
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL refuses the orphan itself")
    assert rules_after(engine, "UPDATE proposal_event SET user_id = 999999 WHERE proposal_id = :p", p=concluded) == {
        "every foreign key points at a row"}
