"""Background words the comments themselves reveal (common_words): the frames of sentences many people wrote
with only the topic changed, and words spread evenly across unrelated topics; the ranking leaves them out."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads when words are counted, not when the app starts (issue 22)
    import numpy as np

from budget_eval.evaluation.domain.hotword_comments import Merged
from budget_eval.evaluation.domain.hotword_settings import Settings

FRAME_FILLS = 3  # a sentence written with at least this many different topics in its slot is a frame
FRAMES = 40  # the frames most people wrote that are looked for in every text
SLOT = range(1, 9)  # characters a frame's slot may hold


def common_words(merged: list[Merged], settings: Settings) -> set[str]:
    """Words the comments themselves show to be background, spread evenly across unrelated topics (each text
    weighted by the people who wrote it):
    - phrasing: where many people wrote the same sentence with only the topic changed (“希望{地铁}方面…”, “希望
      {教育}方面…”), the changing word is the topic and the sentence's other words are its frame; a word most of
      whose people used it in such frames, at its base rate beside each of the topics, is filler;
    - co-occurrence: a word that rides along with (nearly) all leading candidates at its own base rate, while
      the topics themselves exclude one another."""
    import numpy as np

    counts: Counter[str] = Counter()
    for m in merged:
        for t in m.terms:
            counts[t] += m.people
    n = sum(m.people for m in merged)
    least = max(settings.generic_min_comments, settings.generic_min * n)
    if n == 0:
        return set()
    wide = [w for w, _ in counts.most_common(2 * settings.generic_candidates)]
    index = {w: i for i, w in enumerate(wide)}
    rows, cols = [], []
    for j, m in enumerate(merged):
        for t in m.terms:
            i = index.get(t)
            if i is not None:
                rows.append(i)
                cols.append(j)
    matrix = np.zeros((len(wide), len(merged)), dtype=np.float64)
    matrix[rows, cols] = 1
    weights = np.array([m.people for m in merged], dtype=np.float64)
    together = (matrix * weights) @ matrix.T
    df = np.diag(together)
    expected = np.outer(df, df) / n
    lift = np.divide(together, expected, out=np.ones_like(together), where=expected > 0)
    informative = expected >= 2
    np.fill_diagonal(informative, False)
    found = _frame_words(merged, counts, index, lift, informative, settings)
    leading = [i for i, w in enumerate(wide[:settings.generic_candidates]) if counts[w] >= least and w not in found]
    if len(leading) < 4:
        return found
    sub = np.ix_(leading, leading)
    near, pairs_of = lift[sub], informative[sub]
    if not ((near < 0.5) & pairs_of).any():
        return found  # no topics that exclude one another: nothing to call common to all of them
    for k, i in enumerate(leading):
        pairs = pairs_of[k]
        if pairs.sum() >= 4 and ((near[k] >= settings.generic_lift) & pairs).sum() >= settings.generic_share * pairs.sum():
            found.add(wide[i])
    return found


def _frame_words(merged: list[Merged], counts: Counter[str], index: dict[str, int], lift: np.ndarray,
                 informative: np.ndarray, settings: Settings) -> set[str]:
    """Words of the sentences many people wrote with only the topic changed (see common_words).

    A frame is found where at least FRAME_FILLS leading words fill the same slot of one sentence; every text that
    fits the frame's start and end with a short slot between (菜市场, 学区房: topics whose own word is only part of
    the slot) is then its instance, and the words of its start and end are the frame's."""
    contexts: dict[tuple[str, str], set[str]] = {}
    people: Counter[tuple[str, str]] = Counter()
    for m in merged:
        for w in m.terms:
            if w in index and m.key.count(w) == 1:
                before, _, after = m.key.partition(w)
                contexts.setdefault((before, after), set()).add(w)
                people[(before, after)] += m.people
    frames = [c for c, fills in contexts.items() if len(fills) >= FRAME_FILLS]
    if not frames:
        return set()
    frames = sorted(frames, key=lambda c: -people[c])[:FRAMES]
    outside: Counter[str] = Counter()
    slot_words: set[str] = set()
    for m in merged:
        fits = [(b, a) for b, a in frames if len(m.key) - len(b) - len(a) in SLOT and m.key.startswith(b)
                and m.key.endswith(a)]
        if not fits:
            continue
        words = set()
        for before, after in fits:
            slot = m.key[len(before):len(m.key) - len(after)]
            inside = {t for t in m.terms if t in slot}
            slot_words.update(t for t in inside if t in index)
            words |= {t for t in m.terms if t in index and t not in inside and (t in before or t in after)}
        for word in words:
            outside[word] += m.people
    found = set()
    for word, heard in outside.items():
        i = index[word]
        beside = [index[t] for t in slot_words if informative[i, index[t]]]
        if word in slot_words or len(beside) < 3 or heard < 0.5 * counts[word]:
            continue
        even = sum(1 for j in beside if settings.generic_lift <= lift[i, j] <= 1 / settings.generic_lift)
        if even >= settings.generic_share * len(beside):
            found.add(word)
    return found
