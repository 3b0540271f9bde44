"""Hot words to .xlsx: every user text is written as a text cell, never a formula."""
from __future__ import annotations

from budget_eval.evaluation.domain.hotword_ranking import Analysis, HotWord, Ranking
from budget_eval.platform import spreadsheets

HEADERS = ["范围", "类别", "排名", "热词", "提出人数", "意见条数", "不同文本", "占评价人数比例", "涉及单位",
           "评价层面", "代表性意见", "问题清单"]
INTEGERS = ("提出人数", "意见条数", "不同文本")


def rows_of(scope: str, ranking: Ranking):
    for kind, words in (("意见", ranking.criticism), ("表扬", ranking.praise)):
        for w in words:
            yield [scope, kind, w.rank_label, w.word, w.count, w.raw, w.texts, f"{w.share:.2%}",
                   "、".join(f"{u}（{n}）" for u, n in w.units), "、".join(f"{g}（{n}）" for g, n in w.groups),
                   "\n".join(w.examples), "\n".join(f"{i.label}（{i.count}）" for i in w.issues)]


def analysis_xlsx(analysis: Analysis) -> bytes:
    rows = [*rows_of("全市", analysis.city)]
    for unit, ranking in analysis.units.items():
        rows.extend(rows_of(unit, ranking))
    columns = [spreadsheets.Column(h, "integer" if h in INTEGERS else "text") for h in HEADERS]
    return spreadsheets.xlsx(spreadsheets.Table("十大热词", columns, rows))


def comments_xlsx(word: HotWord | None, texts: list[tuple[int, str, str]]) -> bytes:
    rows = [[n, unit, text] for n, (_, unit, text) in enumerate(texts, 1)]
    title = f"热词“{word.word}”涉及的意见" if word else ""
    columns = [spreadsheets.Column("序号", "integer"), spreadsheets.Column("单位", "text"),
               spreadsheets.Column("意见建议", "text")]
    return spreadsheets.xlsx(spreadsheets.Table("意见", columns, rows, title=title))
