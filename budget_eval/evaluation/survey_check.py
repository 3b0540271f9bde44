"""The checks of a survey file (社会评价问卷), chunk after chunk (evaluation/survey_import.py streams the file):
which rows are good, and the reasons of the bad ones, the same whether the file is read whole or in chunks."""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from budget_eval.evaluation.domain.scheme import SurveyRules

COL_ID, COL_GROUP, COL_DEPT, COL_ANSWER, COL_COMMENT = "受访者编号", "受访者类别", "被评单位", "评价", "意见建议"
REQUIRED = (COL_ID, COL_GROUP, COL_DEPT, COL_ANSWER)
COL_REASON, COL_ROW = "原因", "原表行号"


class SurveyCheck:
    """The checks of a survey file, chunk after chunk, carrying across chunks what a row is checked against: the
    respondent + unit pairs seen before it (a repeat is a duplicate), each respondent's first 受访者类别 (another
    one is a mismatch) and the pairs imported before; so a file read in chunks gets the same reasons as read whole.
    Respondents are numbered once and each pair kept as that number in its unit's set (memory per pair, not per
    row's text)."""

    def __init__(self, lookup: dict[str, int], rules: SurveyRules, existing: Iterable[tuple[str, int]] = ()):
        self.lookup, self.rules = lookup, rules
        self.allowed = list(rules.answers) + list(rules.unknown)
        self.codes: dict[str, int] = {}  # respondent → its number
        self.first_group: list[str | None] = []  # number → its first 受访者类别 in the file (None: not yet in it)
        self.pairs: dict[int, set[int]] = {}  # unit → respondents seen in the file
        self.before: dict[int, set[int]] = {}  # unit → respondents imported before
        for respondent, department in existing:
            self.before.setdefault(department, set()).add(self._code(respondent))

    def _code(self, respondent: str) -> int:
        code = self.codes.get(respondent)
        if code is None:
            code = self.codes[respondent] = len(self.first_group)
            self.first_group.append(None)
        return code

    def chunk(self, table: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """The chunk's good rows (with department ids), the mask of its bad rows and their reasons."""
        # each distinct value cleaned once (a large file repeats its categories, units and answers on every row)
        text = {c: _per_unique(table[c], lambda u: u.fillna("").astype(str).str.strip())
                for c in (COL_GROUP, COL_DEPT, COL_ANSWER, COL_COMMENT)}
        # one respondent, however the id is typed: full-width ＡＢ００１ and ab001 are AB001
        text[COL_ID] = _per_unique(table[COL_ID], lambda u: u.fillna("").astype(str).str.strip().str.normalize("NFKC")
                                   .str.strip().str.upper())
        department = text[COL_DEPT].map(self.lookup)
        reasons = pd.Series("", index=table.index)

        def flag(mask: pd.Series, message) -> None:
            """Add a reason to the rows in mask; message is text, or a function of the mask (built only for them)."""
            if not mask.any():
                return
            part = message(mask) if callable(message) else message
            current = reasons[mask]
            reasons.loc[mask] = current.where(current == "", current + "；") + part

        flag(text[COL_ID] == "", f"{COL_ID}为空")
        flag(~text[COL_GROUP].isin(list(self.rules.groups)),
             lambda m: "受访者类别“" + text[COL_GROUP][m] + "”不在考评方案的类别中")
        flag(department.isna(), lambda m: "被评单位“" + text[COL_DEPT][m] + "”不是本年度考评单位")
        flag(~text[COL_ANSWER].isin(self.allowed),
             lambda m: "评价“" + text[COL_ANSWER][m] + "”应为" + "/".join(self.allowed) + "之一")
        repeated, first, before = self._carried(text[COL_ID].tolist(), text[COL_GROUP].tolist(), department.tolist())
        flag(pd.Series(repeated, index=table.index), "同一受访者对同一单位重复评价（文件中已有前一条）")
        first_group = pd.Series(first, index=table.index, dtype=object)
        flag(first_group.notna(),
             lambda m: "受访者编号“" + text[COL_ID][m] + "”在文件中重复，且受访者类别与前一条（“" + first_group[m] + "”）不同")
        flag(pd.Series(before, index=table.index), "同一受访者对同一单位的评价已在此前导入")
        bad = (reasons != "").to_numpy()
        good = pd.DataFrame({
            "respondent": text[COL_ID], "group": text[COL_GROUP], "department_id": department,
            "answer": text[COL_ANSWER], "comment": text[COL_COMMENT].replace("", None),
        })[~bad]
        return good, bad, reasons[bad].to_numpy(dtype=object)

    def _carried(self, ids: list[str], groups: list[str], departments: list) -> tuple[list, list, list]:
        """Per row: a repeat of a pair seen before; the respondent's first 受访者类别 when this row's differs (else
        None); a pair imported before. Rows without an id or unit have no pair (a unit that is NaN is unknown)."""
        n = len(ids)
        repeated, first, before = [False] * n, [None] * n, [False] * n
        codes, first_group, pairs, imported = self.codes, self.first_group, self.pairs, self.before
        for i, (respondent, group, department) in enumerate(zip(ids, groups, departments, strict=True)):
            if not respondent:
                continue
            code = codes.get(respondent)
            if code is None:
                code = codes[respondent] = len(first_group)
                first_group.append(group)
            elif (earlier := first_group[code]) is None:
                first_group[code] = group
            elif earlier != group:
                first[i] = earlier
            if department != department:  # NaN: not a unit of the year
                continue
            seen = pairs.get(department)
            if seen is None:
                seen = pairs[department] = set()
            if code in seen:
                repeated[i] = True
            else:
                seen.add(code)
            if imported and code in imported.get(department, ()):
                before[i] = True
        return repeated, first, before


def _per_unique(column: pd.Series, clean: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """clean() of a column applied to its distinct values only, then spread back over the rows."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    cleaned = clean(pd.Series([*uniques, None], dtype=object)).to_numpy(dtype=object)  # code -1 (NaN) is the last
    return pd.Series(cleaned[codes], index=column.index, dtype=object)
