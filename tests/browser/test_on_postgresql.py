"""The browser journeys once more with the demo served from PostgreSQL (issue 19: both reviews, both meeting
kinds, the three assessor kinds, an adjustment confirmed by finance, the draw and the pledge): the same test
functions as on SQLite, collected here again, with `person` signing in to the PostgreSQL server. They run in the
order they build on each other (the draw, the journeys, the meetings). Screenshots are named pg-…"""
from __future__ import annotations

import pytest

from tests.browser.conftest import people_of, serve
from tests.browser.test_expert_draw import (  # noqa: F401 (collected here)
    test_admin_draws_a_panel_and_the_expert_signs_before_the_materials_open,
)
# in the order of tests/browser/test_journeys.py (each journey builds on the ones before)
from tests.browser.test_journeys import test_department_submits_and_later_revises  # noqa: F401,E402
from tests.browser.test_journeys import test_reviewer_declares_and_scores  # noqa: F401,E402
from tests.browser.test_journeys import test_admin_checks_materials_concludes_and_downloads  # noqa: F401,E402
from tests.browser.test_journeys import test_evaluation_office_imports_and_publishes  # noqa: F401,E402
from tests.browser.test_journeys import test_department_files_an_appeal  # noqa: F401,E402
from tests.browser.test_journeys import test_finance_confirms_an_adjustment_without_a_new_round  # noqa: F401,E402
from tests.browser.test_journeys import test_both_reviews_each_returning_once  # noqa: F401,E402
from tests.browser.test_journeys import test_a_commissioned_third_party_assesses  # noqa: F401,E402
from tests.browser.test_meeting_budget import (  # noqa: F401 (collected here)
    test_admin_decides_at_both_meeting_kinds_and_exports_for_the_budget,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory, pg_demo_instance):
    with serve(tmp_path_factory.mktemp("pg-browser-instance"), pg_demo_instance) as base:
        yield base


@pytest.fixture
def person(browser, pg_server, request):
    yield from people_of(browser, pg_server, "pg-" + request.node.name.removeprefix("test_"))
