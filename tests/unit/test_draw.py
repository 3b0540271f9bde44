"""The expert draw as pure domain code: each kind of conflict keeps an expert out (one test per kind), the
draw is the same for the same seed and candidates, and a stored draw replays to its panel."""
import random

import pytest

from budget_eval.assessment.domain.draw import (
    Candidate, Conflicts, DrawError, Exclusion, draw, exclusion, pick, replay, same_unit,
)

APPLICANT, AUTHORITY, OTHER = 10, 11, 12
CONFLICTS = Conflicts(department_ids=frozenset({APPLICANT, AUTHORITY}),
                      department_names=frozenset({"杭州市第一人民医院", "杭州市卫生健康委员会"}),
                      earlier_panel_user_ids=frozenset({107}), load_limit=12, city="杭州")


def expert(n: int, **fields) -> Candidate:
    base = dict(id=n, user_id=100 + n, active=True, specialties=frozenset({"health"}),
                organisation=f"浙江某大学{n}", department_id=None)
    return Candidate(**(base | fields))


def drawn_out(candidate: Candidate) -> Exclusion | None:
    """Whether a draw leaves this candidate out, among enough clean ones, under every seed tried."""
    pool = [candidate] + [expert(n) for n in range(20, 26)]
    reasons = set()
    for seed in range(30):
        result = draw(pool, CONFLICTS, "health", 6, seed)
        assert candidate.id not in result.chosen
        reasons.add(result.excluded.get(candidate.id))
    (reason,) = reasons
    return Exclusion(reason) if reason else None


def test_a_clean_expert_is_eligible():
    assert exclusion(expert(1), CONFLICTS) is None
    result = draw([expert(1), expert(2)], CONFLICTS, "health", 2, 7)
    assert set(result.chosen) == {1, 2} and result.excluded == {}


def test_conflict_same_department_as_the_applicant():
    assert drawn_out(expert(1, department_id=APPLICANT)) is Exclusion.DEPARTMENT


def test_conflict_same_department_as_the_parent_authority():
    assert drawn_out(expert(1, department_id=AUTHORITY)) is Exclusion.DEPARTMENT


def test_conflict_same_organisation_as_the_applicant_or_authority():
    assert drawn_out(expert(1, organisation="杭州市卫生健康委员会")) is Exclusion.ORGANISATION
    assert drawn_out(expert(2, organisation="市第一人民医院")) is Exclusion.ORGANISATION  # the 杭州市 prefix dropped
    assert same_unit("杭州市 第一人民医院", "杭州市第一人民医院", "杭州")
    assert not same_unit("第一人民医院分院", "第一人民医院", "杭州")


def test_conflict_declared_relation_with_a_department():
    assert drawn_out(expert(1, avoid_department_ids=frozenset({AUTHORITY}))) is Exclusion.DECLARED


def test_conflict_declared_relation_with_an_organisation_by_name():
    assert drawn_out(expert(1, avoid_organisations=("杭州市第一人民医院",))) is Exclusion.DECLARED
    assert exclusion(expert(2, avoid_organisations=("杭州市交通运输局",)), CONFLICTS) is None


def test_conflict_membership_of_an_earlier_panel_on_this_proposal():
    assert drawn_out(expert(7)) is Exclusion.EARLIER_PANEL  # user 107 sat on a panel of this proposal


def test_conflict_over_the_yearly_load_limit():
    assert drawn_out(expert(1, load=12)) is Exclusion.LOAD
    assert exclusion(expert(2, load=11), CONFLICTS) is None


def test_an_inactive_expert_is_never_drawn():
    assert drawn_out(expert(1, active=False)) is Exclusion.INACTIVE


def test_another_specialty_is_not_a_candidate_at_all():
    result = draw([expert(1), expert(2, specialties=frozenset({"law"}))], CONFLICTS, "health", 1, 3)
    assert result.eligible == (1,) and 2 not in result.excluded


def test_the_draw_is_random_sample_over_the_sorted_candidates():
    pool = [expert(n) for n in (9, 3, 5, 1, 7)]
    result = draw(pool, CONFLICTS, "health", 3, 42)
    assert result.eligible == (1, 3, 5, 9) and 7 in result.excluded  # 7 sat on an earlier panel
    assert result.chosen == tuple(random.Random(42).sample([1, 3, 5, 9], 3))


def test_a_stored_draw_replays_to_the_same_panel():
    pool = [expert(n) for n in range(1, 15)]
    for seed in (0, 1, 2**62 + 5, 20270115):
        result = draw(list(reversed(pool)), CONFLICTS, "health", 4, seed)  # the order handed in does not matter
        assert result == draw(pool, CONFLICTS, "health", 4, seed)
        assert replay(result.eligible, 4, seed, result.chosen)
        assert not replay(result.eligible, 4, seed, tuple(reversed(result.chosen)))
        assert pick(reversed(result.eligible), 4, seed) == result.chosen


def test_too_few_candidates_is_a_chinese_error():
    with pytest.raises(DrawError, match="不足"):
        draw([expert(1)], CONFLICTS, "health", 2, 1)
    with pytest.raises(DrawError, match="至少"):
        pick([1, 2], 0, 1)
