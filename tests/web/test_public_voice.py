"""The public's voice as evidence of need (issue 24): the demo's metro / congestion project shows, on a reviewer's
scoring page beside 立项必要性, the matching hot words of the published year with their people and comments; the
十大热词 page lists the proposals that answer each topic, with their stage."""
import re

from sqlalchemy import select

from budget_eval.assessment.models import PanelMember
from budget_eval.demo import PASSWORD
from budget_eval.demo.public_voice import METRO
from budget_eval.evaluation.hotwords import year_hot_words
from budget_eval.evaluation.models import EvaluationYear
from budget_eval.intake.models import Proposal
from budget_eval.platform.extensions import db
from budget_eval.platform.models.user import User
from tests.web.client import WebClient


def client(app, username):
    web = WebClient(app)
    web.login(db.session.scalar(select(User).where(User.username == username)), PASSWORD)
    return web


def published():
    return db.session.scalar(select(EvaluationYear).where(EvaluationYear.status == "published"))


def test_a_reviewer_sees_what_the_public_said_beside_necessity(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    proposal = db.session.scalar(select(Proposal).where(Proposal.name == METRO))
    assert proposal.status == "finance_review"
    expert = db.session.scalar(select(User).where(User.username == "expert1"))
    member = db.session.scalar(select(PanelMember).where(PanelMember.user_id == expert.id,
                                                         PanelMember.assessment_id == proposal.current_assessment.id))
    web = client(app, "expert1")
    before = web.text(f"/reviews/{member.id}")
    assert "社会评价意见" not in before  # nothing of the proposal before the conflict declaration
    web.post(f"/reviews/{member.id}", {"step": "declare", "agree": "yes"})
    page = web.text(f"/reviews/{member.id}")
    year = published()
    city = {w.word: w for w in year_hot_words(year).city.criticism}
    assert {"地铁", "拥堵"} <= set(city)
    panel = page[page.index("社会评价意见"):]
    panel = panel[:panel.index("</table>")]
    assert page.index("立项必要性") < page.index("社会评价意见") < page.index("<h2>投入经济性（")  # beside 立项必要性
    for word in ("地铁", "拥堵"):
        row = re.search(rf'<th scope="row">{word}</th><td class="num">(\d+)</td>', panel)
        assert row and int(row.group(1)) == city[word].count
        assert f"提到“{word}”" in panel
        assert any(example in panel for example in city[word].examples[:3])
    assert f"{city['地铁'].share * 100:.2f}%" in panel
    assert f'/evaluation/{year.year}/hotwords' in page  # the year's hot words, open to the panel's experts
    assert "社会评价十大热词" in web.text(f"/evaluation/{year.year}/hotwords")


def test_the_hot_word_page_lists_the_proposals_that_answer_each_topic(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    year = published()
    page = client(app, "kpb").text(f"/evaluation/{year.year}/hotwords")
    rows = {}
    for row in re.findall(r"<tr>.*?</tr>", page, re.S):
        word = re.search(r"<strong>(.+?)</strong>", row)
        if word:
            rows.setdefault(word.group(1), row)
    assert METRO in rows["地铁"] and METRO in rows["拥堵"] and "财政评估" in rows["地铁"]
    answered = {word: re.findall(r"<li>", re.search(r'<td class="answers">(.*?)</td>', row, re.S).group(1))
                for word, row in rows.items() if 'class="answers"' in row}
    links = sum(len(found) for found in answered.values())
    assert links >= 3 and sum(1 for found in answered.values() if found) >= 3, answered
    assert "天子岭生活垃圾分类处置中心扩建工程" in page and "学前教育普惠性民办园补助政策" in page
    assert 'href="/proposals/' not in page  # the office may not open proposals: named, not linked


def test_finance_reads_a_published_years_hot_words_but_not_an_open_one(app):
    app.test_cli_runner().invoke(args=["seed-demo"])
    finance = client(app, "reviewer1")
    year = published()
    page = finance.text(f"/evaluation/{year.year}/hotwords")
    assert METRO in page and 'href="/proposals/' in page  # finance may open them
    assert "保存问题清单" not in page  # the office's own work is not offered
    open_year = db.session.scalar(select(EvaluationYear).where(EvaluationYear.status == "open"))
    assert finance.get(f"/evaluation/{open_year.year}/hotwords").status_code == 404
