"""十大热词: the most frequent words in public comments, city-wide and per department.

Chinese is segmented with jieba plus a domain dictionary (so 跑改, 降费, 垃圾分类 stay whole) and a stop-word
list, both kept in rules/hotwords/.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)
WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # a word needs at least one letter or Chinese character
DOMAIN_FREQ = 200000  # high enough that jieba keeps a dictionary word whole


@dataclass(frozen=True)
class HotWord:
    word: str
    count: int  # occurrences in the comments of the scope
    examples: tuple[str, ...]  # a few comments that use it


def read_word_list(path: Path) -> list[str]:
    """One entry a line; blank lines and lines starting with # are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class Segmenter:
    """A jieba tokenizer of its own (no global state) with the domain words and stop words."""

    def __init__(self, domain_words: Iterable[str], stopwords: Iterable[str]):
        self.tokenizer = jieba.Tokenizer()
        self.domain = set()
        for entry in domain_words:
            word, *freq = entry.split()
            self.tokenizer.add_word(word, int(freq[0]) if freq else DOMAIN_FREQ)
            self.domain.add(word)
        self.stop = set(stopwords)
        self._keep: dict[str, bool] = {}  # per distinct token: comments reuse a small vocabulary

    @classmethod
    def from_rules(cls, directory: Path) -> Segmenter:
        return cls(read_word_list(directory / "domain_words.txt"), read_word_list(directory / "stopwords.txt"))

    def words(self, text: str) -> list[str]:
        """The countable words of one comment."""
        keep = self._keep
        words = []
        for w in self.tokenizer.cut(text):
            kept = keep.get(w)
            if kept is None:
                kept = keep[w] = w not in self.stop and (w in self.domain or (len(w) >= 2 and bool(WORDY.search(w))))
            if kept:
                words.append(w)
        return words


def hot_words(comments: Iterable[tuple[str, str]], segmenter: Segmenter, top: int = 10,
              examples: int = 3) -> tuple[list[HotWord], dict[str, list[HotWord]]]:
    """Top words city-wide and per department from (department, comment) pairs."""
    city: Counter[str] = Counter()
    by_department: dict[str, Counter[str]] = {}
    seen: list[tuple[str, str, set[str]]] = []
    for department, text in comments:
        if not text or not text.strip():
            continue
        words = segmenter.words(text)
        if not words:
            continue
        city.update(words)
        by_department.setdefault(department, Counter()).update(words)
        seen.append((department, text, set(words)))
    return (
        _top(city, seen, top, examples, None),
        {d: _top(counter, seen, top, examples, d) for d, counter in sorted(by_department.items())},
    )


def _top(counter: Counter[str], seen, top: int, examples: int, department: str | None) -> list[HotWord]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top]
    found: dict[str, list[str]] = {word: [] for word, _ in ranked}
    for dept, text, words in seen:
        if department is not None and dept != department:
            continue
        for word in words & found.keys():
            if len(found[word]) < examples:
                found[word].append(text)
        if all(len(v) >= examples for v in found.values()):
            break
    return [HotWord(word, count, tuple(found[word])) for word, count in ranked]
