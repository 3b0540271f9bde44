"""The survey import as it streams (issue 22): checked and stored chunk by chunk, yet with exactly the result the
whole-file check gave before streaming (kept below, verbatim, as the reference) on a file whose duplicates,
category mismatches and earlier imports fall across chunk boundaries; all or nothing when it fails midway."""
import io

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from budget_eval.evaluation import operations as evaluation, survey_import
from budget_eval.evaluation.domain.scheme import SurveyRules
from budget_eval.evaluation.models import SurveyResponse
from budget_eval.evaluation.survey_import import (COL_COMMENT, COL_DEPT, COL_GROUP, COL_ID, COL_ANSWER, COL_REASON,
                                                  REQUIRED, department_lookup, import_responses, read_responses,
                                                  stream_responses, with_row_numbers)
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from tests.shapes import csv_bytes
from tests.web.factories import TESTER

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

HEAD = [COL_ID, COL_GROUP, COL_DEPT, COL_ANSWER, COL_COMMENT]
UNITS = ("杭州市交通运输局", "杭州市城市管理局", "杭州市教育局")
ROWS = [["2026年度社会评价问卷"], HEAD,
        ["R1", "市民代表", "杭州市交通运输局", "满意", "地铁太挤"],
        ["R2", "党代表", "杭州市教育局", "满意", None],
        ["R3", "市民代表", "不存在局", "满意", None],  # not a unit of the year
        ["ｒ１", "市民代表", "杭州市城市管理局", "非常好", None],  # R1 typed full-width; an answer not allowed
        # chunk_rows=4: the next rows are checked in later chunks against what came before
        ["R1", "市民代表", "杭州市交通运输局", "比较满意", None],  # R1 rated 交通 already
        ["R2", "企业代表", "市城市管理局", "满意", None],  # R2 was 党代表
        ["R9", "市民代表", "杭州市教育局", "满意", None],  # imported before
        [None, "市民代表", "杭州市教育局", "满意", None],  # no id
        [None] * 5,
        ["R4", "外星人", "杭州市教育局", "满意", None],  # not a category of the scheme
        ["R4", "市民代表", "交通运输局", "满意", None],  # and then another one
        ["R5", "市民代表", "杭州市交通运输局", "不了解", "公交要优化"],
        ["合计", None, None, None, None],
        ["r5", "市民代表", "杭州市交通运输局", "满意", None],  # R5 rated 交通 already
        ["R6", "人大代表", "杭州市城市管理局", "基本满意", ""],
        [None] * 5, [None] * 5]


def survey_xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def year(app, make):
    for name in UNITS:
        make.department(name)
    record = evaluation.open_year(2026, "hangzhou", TESTER)
    earlier = pd.DataFrame([["R9", "市民代表", "杭州市教育局", "满意", None]], columns=HEAD)
    import_responses(record, earlier, evaluation.scheme_of(record).survey, TESTER)
    return record


def stored(record) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(
        select(SurveyResponse.respondent, SurveyResponse.group, SurveyResponse.department_id, SurveyResponse.answer,
               SurveyResponse.comment).where(SurveyResponse.year_id == record.id, SurveyResponse.respondent != "R9")
        .order_by(SurveyResponse.id))]


@pytest.mark.parametrize("name, data", [("问卷.xlsx", survey_xlsx(ROWS)), ("问卷.csv", csv_bytes(ROWS, "gb18030"))])
def test_streamed_import_gives_the_whole_file_result(app, year, name, data):
    rules = evaluation.scheme_of(year).survey
    departments = db.session.execute(select(Department.id, Department.name)).all()
    existing = set(db.session.execute(select(SurveyResponse.respondent, SurveyResponse.department_id)).all())
    frame = read_responses(io.BytesIO(data), name)
    good, rejected = whole_file_validate(frame, department_lookup(departments), rules, existing)
    assert len(good) == 4 and len(rejected) == 9  # every kind of reason is in the file
    heard = []
    result = import_responses(year, stream_responses(io.BytesIO(data), name, chunk_rows=4), rules, TESTER,
                              lambda done, total, message: heard.append((done, total, message)))
    pd.testing.assert_frame_equal(result.rejected, rejected, check_dtype=False)
    assert stored(year) == [(r.respondent, r.group, int(r.department_id), r.answer,
                             None if pd.isna(r.comment) else r.comment) for r in good.itertuples(index=False)]
    assert result.imported == 4 and result.read == len(frame) and result.skipped == frame.attrs["skipped"]
    assert len(heard) >= 4 and [d for d, _, _ in heard] == sorted(d for d, _, _ in heard)  # progress per chunk
    assert heard[-1][2] == "已读取 13 行：写入 4 行，拒收 9 行"


def test_a_failure_midway_stores_nothing(app, year, monkeypatch):
    written = []

    def fails_second_time(rows):
        if written:
            raise RuntimeError("disk full")
        written.append(len(rows))
        real(rows)

    real = survey_import._bulk_insert
    monkeypatch.setattr(survey_import, "_bulk_insert", fails_second_time)
    data = survey_xlsx([HEAD, *[[f"N{i}", "市民代表", UNITS[i % 3], "满意", None] for i in range(12)]])
    with pytest.raises(RuntimeError):
        import_responses(year, stream_responses(io.BytesIO(data), "s.xlsx", chunk_rows=4),
                         evaluation.scheme_of(year).survey, TESTER)
    db.session.rollback()
    assert written == [4] and stored(year) == []
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1  # the earlier import only


def whole_file_validate(table: pd.DataFrame, lookup: dict[str, int], rules: SurveyRules,
             existing: set[tuple[str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """survey_import.validate as it was before the import streamed (main at e28293f), verbatim."""
    text = {c: table[c].fillna("").astype(str).str.strip() for c in (*REQUIRED, COL_COMMENT)}
    # one respondent, however the id is typed: full-width ＡＢ００１ and ab001 are AB001
    text[COL_ID] = text[COL_ID].str.normalize("NFKC").str.strip().str.upper()
    department = text[COL_DEPT].map(lookup)
    reasons = pd.Series("", index=table.index)

    def flag(mask: pd.Series, message) -> None:
        """Add a reason to the rows in mask; message is text, or a function of the mask (built only for them)."""
        if not mask.any():
            return
        part = message(mask) if callable(message) else message
        current = reasons[mask]
        reasons.loc[mask] = current.where(current == "", current + "；") + part

    flag(text[COL_ID] == "", f"{COL_ID}为空")
    flag(~text[COL_GROUP].isin(list(rules.groups)),
         lambda m: "受访者类别“" + text[COL_GROUP][m] + "”不在考评方案的类别中")
    flag(department.isna(), lambda m: "被评单位“" + text[COL_DEPT][m] + "”不是本年度考评单位")
    allowed = list(rules.answers) + list(rules.unknown)
    flag(~text[COL_ANSWER].isin(allowed), lambda m: "评价“" + text[COL_ANSWER][m] + "”应为" + "/".join(allowed) + "之一")
    pairs = pd.DataFrame({"id": text[COL_ID], "dept": department})
    known = department.notna() & (text[COL_ID] != "")
    flag(known & pairs.duplicated(keep="first"), "同一受访者对同一单位重复评价（文件中已有前一条）")
    has_id = text[COL_ID] != ""
    first_group = text[COL_GROUP].where(has_id).groupby(text[COL_ID]).transform("first")
    flag(has_id & (text[COL_GROUP] != first_group),
         lambda m: "受访者编号“" + text[COL_ID][m] + "”在文件中重复，且受访者类别与前一条（“" + first_group[m] + "”）不同")
    if existing:
        seen = pd.Series([(r, d) in existing for r, d in zip(text[COL_ID], department, strict=True)],
                         index=table.index)
        flag(known & seen, "同一受访者对同一单位的评价已在此前导入")
    bad = reasons != ""
    good = pd.DataFrame({
        "respondent": text[COL_ID], "group": text[COL_GROUP], "department_id": department,
        "answer": text[COL_ANSWER], "comment": text[COL_COMMENT].replace("", None),
    })[~bad]
    rejected = with_row_numbers(table[bad])
    rejected[COL_REASON] = reasons[bad].to_numpy(dtype=object)
    return good, rejected
