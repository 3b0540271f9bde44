"""Scoring on evidence in a real browser (issue 20): an expert opens a page of a material inside the scoring page,
cites page 3 for one 审核要点, marks another 依据不足, writes a dimension analysis and submits; once the panel
has scored, the report shows the citation (material and page) and the analysis; the materials page links every
uploaded file. Screenshots under test-artifacts/browser/."""
import io

import pytest
from docx import Document

from budget_eval.demo.evidence import STUDY
from tests.browser.conftest import people_of, serve

pytestmark = pytest.mark.browser
PROJECT = "社区卫生服务中心智慧化改造"  # in finance review, its three experts signed (demo/experts.py)
PANEL = ("expert1", "expert2", "expert14")


@pytest.fixture(scope="module")
def own_server(tmp_path_factory, demo_instance):
    """A copy of the demo of its own: this test concludes a project that other journeys expect in review."""
    with serve(tmp_path_factory.mktemp("evidence-instance"), demo_instance) as base:
        yield base


@pytest.fixture
def person(browser, own_server):
    yield from people_of(browser, own_server, "evidence")


def rate_all(page, analysis: str) -> None:
    """Every 要点 rated 良 citing page 1 of the study; every dimension analysed."""
    study = page.locator("fieldset.point select option", has_text=STUDY).first.get_attribute("value")
    for fieldset in page.locator("fieldset.point").all():
        fieldset.locator("input[type=radio]").nth(1).check()
        fieldset.locator("select").first.select_option(study)
        fieldset.locator("input.page").first.fill("1")
    for code in ("necessity", "economy", "targets", "plan", "funding"):
        page.fill(f"#facts-{code}", f"可研报告第1页（{code}）")
        page.fill(f"#problems-{code}", analysis if code == "economy" else "无")
        page.fill(f"#conclusion-{code}", "基本符合要求")
    page.fill("#opinion", "同意予以支持。")


def submit(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('提交评分')")


def test_an_expert_cites_a_page_marks_one_point_insufficient_and_the_report_shows_it(person):
    expert = person(PANEL[0])
    page = expert.page
    expert.go("/reviews/")
    page.locator("tr", has_text=PROJECT).get_by_role("link").first.click()
    task = page.url
    text = expert.text()
    # before anything is typed: the 要点, the levels with their points, which need a comment
    assert "审核要点1" in text and "良（4分）" in text and "依据不足（不计分）" in text and "须填评语" in text
    page.click(f"summary:has-text('{STUDY}')")
    third = page.locator("figure").nth(2)
    third.scroll_into_view_if_needed()
    third.locator("img").wait_for()
    assert third.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "第3页" in third.inner_text()
    expert.shot("material-page-3")

    rate_all(page, "中心控制平台软件费用未附询价依据")
    cited = page.locator("fieldset.point").nth(2)
    cited.locator("input.page").first.fill("3")
    cited.locator("input.quote").first.fill("投资估算")
    unsure = page.locator("fieldset.point").nth(5)
    unsure.locator("input[type=radio]").last.check()  # 依据不足
    unsure.locator("select").first.select_option("")
    unsure.locator("input.page").first.fill("")
    unsure.locator("textarea").first.fill("未提供软件询价记录")
    expert.shot("rated")
    submit(page)
    assert "评分已提交" in expert.text()
    expert.shot("submitted")

    for username in PANEL[1:]:
        other = person(username)
        other.page.goto(task.rsplit("/", 1)[0] + "/")
        other.page.locator("tr", has_text=PROJECT).get_by_role("link").first.click()
        rate_all(other.page, "无")
        submit(other.page)
        assert "评分已提交" in other.text()

    admin = person("admin")
    admin.go("/proposals/?status=finance_review")
    admin.page.click(f"text={PROJECT}")
    proposal_path = "/" + admin.page.url.split("/", 3)[3].split("?")[0]
    admin.go(proposal_path + "/assessment")
    assert "评为“依据不足”的审核要点" in admin.text()
    admin.page.fill("#conclude-opinion", "项目总体可行。")
    admin.page.click("button:has-text('按评审组评分出具结论')")
    assert "已出具评估结论" in admin.text()
    # the report as the admin's browser downloads it (its 目录 is paginated by LibreOffice: allow it the time)
    response = admin.context.request.get(admin.base + proposal_path + "/report.docx", timeout=180_000)
    assert response.ok
    report = "\n".join(p.text for p in Document(io.BytesIO(response.body())).paragraphs)
    assert f"《{STUDY}》第3页“投资估算" in report
    assert "中心控制平台软件费用未附询价依据" in report and "未列出主要问题" not in report

    admin.go(proposal_path + "/materials")
    links = admin.page.locator("#uploaded a")
    assert links.count() >= 1 and STUDY in links.first.inner_text()
    assert "/attachments/" in links.first.get_attribute("href")
    admin.shot("materials-linked")
