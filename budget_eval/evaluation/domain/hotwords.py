"""十大热词: the topics the public raises, counted by the people who raised them, city-wide and per unit.

Steps (pure code, rules in rules/hotwords/ as read by hotword_settings.py; step 1 in hotword_comments.py, the
words spread evenly of step 4 in hotword_common.py, the counting and ranking in hotword_ranking.py):
1. group identical comments (same text once punctuation, spacing, case and particles are ignored) so that each
   distinct text is segmented once and shown once with its count; the group remembers every rater who wrote it;
2. strip the filler phrases (filler.txt: 下功夫, 进一步加强 …) wherever they appear, then segment with jieba
   (HMM off) and tag each word from jieba's own dictionary;
3. keep content words: nouns and noun-like tags, abbreviations, domain-dictionary words, and verbs or adjectives
   that are rare in everyday language (拥堵, 停放); adjacent nouns also form phrases (食品 安全 → 食品安全);
4. drop the everyday background (background.txt, stop words) and the words the comments themselves spread
   evenly across unrelated topics;
5. count the people who raised each term (each rater once, however many comments or copies they wrote; a
   comment without a rater is its own person); praise apart from criticism; ties share a rank (并列).
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Comment, merge, normalise and read_word_list are re-exported (explicitly, `as`): importers use this module
from budget_eval.evaluation.domain.hotword_comments import (  # noqa: F401
    Comment as Comment, Merged as Merged, merge as merge, normalise as normalise)
from budget_eval.evaluation.domain.hotword_settings import Settings as Settings, read_word_list as read_word_list

WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z]")  # a word needs at least one letter or Chinese character
DOMAIN_FREQ = 200000  # high enough that jieba keeps a dictionary word whole
DOMAIN_TAG = "nz"
NOUNISH = ("n", "vn", "an", "j", "eng", "nz", "nt", "ng")
NOT_NOUN = ("nr", "nrfg", "nrt", "ns")  # names of people and places say who or where, not what
RARE_KINDS = ("v",)  # verbs count only when rare in everyday language (拥堵, 停放); adjectives never
FUNCTION_TAGS = ("p", "d", "c", "u", "r", "y", "e", "o", "zg", "m", "f")  # single characters that never coin a word
COMMON_VERB = DOMAIN_FREQ // 10  # a single-character verb this common (做, 来, 要) never starts or ends a coined word
LOCATIVE = "上下里中内外边"
PLACE_TAILS = "路街区县镇村巷弄"  # a coined word ending so is a place (中河路 → 河路), not a topic
PLACE = re.compile(r"^.{2}[路街区县镇村]$|^.{0,2}大道$")  # 文三路, 江南大道: where, not what


def _jieba() -> Any:
    """jieba, imported when words are first segmented (it costs a tenth of a second at start-up)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def jieba_dictionary() -> dict[str, tuple[int, str]]:
    """word → (frequency, part-of-speech tag) from jieba's own dictionary (the everyday-language background)."""
    found = _DICTIONARY.get("dict")
    if found is None:
        path = os.path.join(os.path.dirname(_jieba().__file__), "dict.txt")
        found = {}
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                word, freq, tag = line.split()
                found[word] = (int(freq), tag)
        _DICTIONARY["dict"] = found
    return found


_DICTIONARY: dict[str, dict[str, tuple[int, str]]] = {}


class Segmenter:
    """A jieba tokenizer of its own (no global state) with the domain words, stop words and background."""

    def __init__(self, domain_words: Iterable[str], stopwords: Iterable[str], background: Iterable[str],
                 settings: Settings, filler: Iterable[str] = ()):
        self.tokenizer = _jieba().Tokenizer()
        phrases = sorted({f.split()[0] for f in filler if f.strip()}, key=len, reverse=True)
        self.filler = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self.dictionary = jieba_dictionary()
        self.domain = set()
        for entry in domain_words:
            word, *freq = entry.split()
            self.tokenizer.add_word(word, int(freq[0]) if freq else DOMAIN_FREQ)
            self.domain.add(word)
        self.settings = settings
        self.stop = (set(stopwords) | {entry.split()[0] for entry in background} | set(self.settings.praise)
                     | set(phrases))
        self._kind: dict[str, int] = {}  # per distinct token: 0 dropped, 1 content word, 2 noun (phrase part)
        self.parts: dict[str, tuple[str, str]] = {}  # noun phrase → its two nouns
        self._heads: dict[str, str] = {}
        self._halves: dict[str, tuple[str, ...]] = {}
        self.compounds: set[str] = set()  # dictionary words made of two nouns (垃圾分类): never dropped as rare
        self._loose_chars: dict[str, bool] = {}
        self.coined: set[str] = set()  # runs of single characters jieba does not know (托育, 绿道): phrase-rare

    @classmethod
    def from_rules(cls, directory: Path, without: Iterable[str] = ()) -> Segmenter:
        leave_out = set(without)
        background = directory / "background.txt"
        filler = directory / "filler.txt"
        settings = directory / "settings.yaml"
        return cls([w for w in read_word_list(directory / "domain_words.txt") if w.split()[0] not in leave_out],
                   read_word_list(directory / "stopwords.txt"),
                   read_word_list(background) if background.exists() else (),
                   Settings.from_file(settings),
                   read_word_list(filler) if filler.exists() else ())

    def strip(self, text: str) -> str:
        """The text without its filler phrases (each replaced by a break, so no phrase forms across it)."""
        return self.filler.sub("，", text) if self.filler is not None else text

    def kind(self, word: str) -> int:
        found = self._kind.get(word)
        if found is None:
            found = self._kind[word] = self._classify(word)
        return found

    def term(self, word: str) -> tuple[str, int]:
        """The countable term of a token and its kind: a dictionary compound ending in an everyday word
        (教育问题, 交通工作) counts as its head (教育, 交通)."""
        kind = self.kind(word)
        if kind or len(word) < 3:
            return word, kind
        head = self._heads.get(word)
        if head is None:
            head = self._heads[word] = next(
                (word[:-n] for n in (2, 1) if word[-n:] in self.stop and self.kind(word[:-n])), "")
        return (head, self.kind(head)) if head else (word, 0)

    def _classify(self, word: str) -> int:
        if word in self.stop:
            return 0
        if word in self.domain:
            return 2
        if len(word) < 2 or not WORDY.search(word):
            return 0
        freq, tag = self.dictionary.get(word, (0, "eng" if word.isascii() else "x"))
        if PLACE.search(word) and (tag in ("x", "ns") or len(word) == 3):
            return 0
        if tag in NOT_NOUN:
            return 0
        if tag.startswith(NOUNISH):
            return 2
        return 1 if freq <= self.settings.rare_max and tag in RARE_KINDS else 0

    def halves(self, word: str) -> tuple[str, ...]:
        """A compound noun of two nouns (教育资源, 垃圾分类) also raises each of them."""
        found = self._halves.get(word)
        if found is None:
            found = ()
            for cut in range(2, len(word)):
                head, tail = word[:cut], word[cut:]
                if self.kind(head) == 2 and len(tail) == 1:  # 垃圾桶, 教育课
                    found = (head,)
                    break
                if self.kind(head) == 2 and self.kind(tail) == 2:
                    found = (head, tail)
                    self.parts.setdefault(word, found)
                    self.compounds.add(word)
                    break
            self._halves[word] = found
        return found

    def _loose(self, token: str) -> bool:
        """A single character that may be part of a word jieba does not know (托 育 → 托育)."""
        if len(token) != 1:
            return False
        found = self._loose_chars.get(token)
        if found is None:
            freq, tag = self.dictionary.get(token, (0, "x"))
            found = self._loose_chars[token] = ("\u4e00" <= token <= "\u9fff" and token not in self.stop
                                                and not tag.startswith(FUNCTION_TAGS)
                                                and not (tag.startswith("v") and freq > COMMON_VERB))
        return found

    def _tokens(self, text: str) -> list[str]:
        """jieba's words, with two ambiguities around prepositions repaired: 菜 场上 → 菜场 上 when 菜场 is a noun
        and 上 a locative (“在菜场上”); 对外 卖 → 对 外卖 when 对 is a preposition and 外卖 a word (“对外卖不满意”)."""
        tokens = list(self.tokenizer.cut(text, HMM=False))
        tag = self.dictionary.get
        for i in range(1, len(tokens)):
            first, second = tokens[i - 1], tokens[i]
            if (len(first) == 1 and len(second) == 2 and second[1] in LOCATIVE
                    and tag(first + second[0], (0, "x"))[1].startswith("n")):
                tokens[i - 1], tokens[i] = first + second[0], second[1]
            elif (len(first) == 2 and len(second) == 1 and self._loose(second) and tag(first[0], (0, "x"))[1] == "p"
                  and first[1] + second in self.dictionary):
                tokens[i - 1], tokens[i] = first[0], first[1] + second
        return tokens

    def _coin(self, run: list[str]) -> str:
        word = "".join(run)
        if 2 <= len(word) <= 4 and word not in self.stop and not PLACE.search(word) and word[-1] not in PLACE_TAILS:
            self.coined.add(word)
            return word
        return ""

    def terms(self, text: str) -> set[str]:
        """The content words and noun phrases of one comment (each once); runs of two to four single characters
        jieba does not know (托育, 绿道) count as words too, and the ranking drops them when rare."""
        found: set[str] = set()
        previous = ""
        run: list[str] = []
        for token in self._tokens(self.strip(text)):
            if self._loose(token):
                run.append(token)
                continue
            if run:
                coined = self._coin(run)
                if coined:
                    found.add(coined)
                run = []
            word, kind = self.term(token)
            if kind == 2 and len(word) >= 3:
                found.update(self.halves(word))  # 垃圾桶 also raises 垃圾; the ranking keeps the one that names
                # the topic (学区房 when its people are 学区's, 垃圾 when 垃圾桶 is one issue among many)
            if kind:
                found.add(word)
            if kind == 2 and previous:
                phrase = previous + word
                found.add(phrase)
                self.parts.setdefault(phrase, (previous, word))
            previous = word if kind == 2 else ""
        if run:
            coined = self._coin(run)
            if coined:
                found.add(coined)
        return found

    def words(self, text: str) -> list[str]:
        """The content words of one comment in order (phrases left out)."""
        terms = (self.term(token) for token in self._tokens(self.strip(text)))
        return [word for word, kind in terms if kind]

    def is_praise(self, text: str) -> bool:
        settings = self.settings
        return any(m in text for m in settings.praise) and not any(m in text for m in settings.criticism)


def segment(merged: list[Merged], segmenter: Segmenter) -> None:
    """Terms and praise flag of each merged comment (each distinct comment segmented once)."""
    for item in merged:
        item.terms = frozenset(segmenter.terms(item.text))
        item.praise = segmenter.is_praise(item.text)
