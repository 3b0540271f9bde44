"""Import social-evaluation survey responses (.xlsx/.csv): validate every row, keep the good, report the bad."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from sqlalchemy import select

from budget_eval.evaluation.hotwords import HOTWORDS, SURVEY_COUNTS
from budget_eval.platform.derived import invalidate
from budget_eval.evaluation.domain.scheme import SurveyRules
from budget_eval.platform import spreadsheets
from budget_eval.platform.extensions import db
from budget_eval.platform.models.department import Department
from budget_eval.evaluation.models import EvaluationYear, SurveyResponse
from budget_eval.platform.audit import audit
from budget_eval.platform.imports import read_import, set_aside_note
from budget_eval.platform.rules import report_settings

COL_ID, COL_GROUP, COL_DEPT, COL_ANSWER, COL_COMMENT = "受访者编号", "受访者类别", "被评单位", "评价", "意见建议"
REQUIRED = (COL_ID, COL_GROUP, COL_DEPT, COL_ANSWER)
COL_REASON, COL_ROW = "原因", "原表行号"


@dataclass
class ImportResult:
    imported: int
    rejected: pd.DataFrame  # the bad rows as read, with their source row number and a 原因 column
    skipped: dict[int, str] = field(default_factory=dict)  # source row → 合计行 / 空行 / 说明行

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


def read_table_of(kind: str, source: BinaryIO | Path, filename: str) -> pd.DataFrame:
    """Read an import of `kind` (a table in rules/tables.yaml) with the tolerant reader.

    The frame holds the canonical columns, indexed by source row number; the rows set aside (合计, blank,
    notes) are in frame.attrs["skipped"].
    """
    table = read_import(kind, source, filename)
    frame = table.frame
    frame.attrs["skipped"] = table.skipped
    return frame


def read_any(path: Path) -> pd.DataFrame:
    """Comments gathered elsewhere (意见建议, optionally 被评单位), e.g. from the 12345 hotline."""
    return read_table_of("comments", path, path.name)


def read_responses(source: BinaryIO | Path, filename: str) -> pd.DataFrame:
    """Survey responses wherever the header is, every cell as text (see read_table_of)."""
    return read_table_of("survey", source, filename)


def with_row_numbers(rejected: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows with their row number in the uploaded file first."""
    out = rejected.copy()
    out.insert(0, COL_ROW, out.index)
    return out.reset_index(drop=True)


def department_lookup(departments: list[tuple[int, str]], city: str | None = None) -> dict[str, int]:
    """Names to ids; a department may be written without the city's name (rules/reports.yaml city_name):
    杭州市交通运输局 = 市交通运输局 = 交通运输局."""
    city = report_settings().city_name if city is None else city
    lookup = {}
    for id_, name in departments:
        lookup[name] = id_
        if city and name.startswith(city):
            short = name[len(city):]
            lookup.setdefault(short, id_)
            lookup.setdefault(short.removeprefix("市"), id_)
    return lookup


def validate(table: pd.DataFrame, lookup: dict[str, int], rules: SurveyRules,
             existing: set[tuple[str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split rows into good (with department ids) and bad (with reasons), vectorised for large files."""
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


def import_responses(year: EvaluationYear, table: pd.DataFrame, rules: SurveyRules, actor,
                     progress: Progress | None = None, filename: str = "", via: str = "",
                     hot_words: bool = True) -> ImportResult:
    """Store the good rows in one transaction with an audit line naming the actor, the file and the counts
    (commits); the bad rows come back with reasons. `progress(done, total, message)` hears how far the writing
    has got, chunk by chunk; `via` says how it ran (e.g. 后台任务#12)."""
    departments = db.session.execute(
        select(Department.id, Department.name).where(Department.id.in_([u.department_id for u in year.units]))
    ).all()
    existing = set(db.session.execute(
        select(SurveyResponse.respondent, SurveyResponse.department_id).where(SurveyResponse.year_id == year.id)
    ).all())
    good, rejected = validate(table, department_lookup(departments), rules, existing)
    good = good.assign(year_id=year.id, department_id=good["department_id"].astype(int))
    for start in range(0, len(good), CHUNK_ROWS):
        if progress is not None:
            progress(start, len(good), f"正在写入第{start + 1}–{min(start + CHUNK_ROWS, len(good))}行（共{len(good)}行有效）")
        _bulk_insert(good.iloc[start:start + CHUNK_ROWS])
    result = ImportResult(len(good), rejected, dict(table.attrs.get("skipped", {})))
    audit("import", f"{year.year}年度考评",
          f"导入问卷{'“' + filename + '”' if filename else ''}{'（' + via + '）' if via else ''}：共 {len(table)} 行，"
          f"导入 {result.imported} 行，拒收 {result.rejected_count} 行{set_aside_note(result.skipped)}", actor)
    invalidate(HOTWORDS, f"year:{year.id}")  # the stored hot words and survey counts of the year are computed again
    invalidate(SURVEY_COUNTS, f"year:{year.id}")
    db.session.commit()
    from budget_eval.evaluation import hotword_job  # (it reads the stored comments this module writes)

    if hot_words:  # (a benchmark times them apart)
        hotword_job.changed(year, actor)  # 十大热词 computed again: a job in the importer's name
    return result


COLUMNS = ["year_id", "respondent", "group", "department_id", "answer", "comment"]
CHUNK_ROWS = 25_000  # rows written between two progress reports
Progress = Callable[[int, int, str], None]


def _bulk_insert(rows: pd.DataFrame) -> None:
    """COPY on PostgreSQL (fastest for hundreds of thousands of rows); the driver's executemany on SQLite."""
    rows = rows[COLUMNS].astype(object)
    rows = rows.where(rows.notna(), None)  # empty comments are NULL, never the text "nan"
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        cursor = connection.connection.driver_connection.cursor()
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        # pandas writes the CSV in C; an unquoted empty field is NULL in COPY's CSV format
        data = rows.to_csv(index=False, header=False)
        with cursor.copy(f"COPY survey_response ({names}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(data)
        return
    # the driver's own executemany: the ORM's per-row bookkeeping costs more than the insert itself
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    cursor = connection.connection.driver_connection.cursor()
    cursor.executemany(f"INSERT INTO survey_response ({names}) VALUES ({marks})",
                       rows.itertuples(index=False, name=None))


def write_rejected(rejected: pd.DataFrame, target: Path) -> None:
    """The rejected rows with the source file's row number and the reason, as CSV or .xlsx (the safe writer)."""
    table = spreadsheets.frame_table(rejected, "拒收行", row_numbers=spreadsheets.ROW_NUMBER not in rejected.columns)
    target.write_bytes(spreadsheets.table_csv(table) if target.suffix == ".csv" else spreadsheets.xlsx(table))
