"""A character-bigram model that tells transliterations from native Chinese place names.

A word list only catches the transliterations someone typed in; new ones (维兰德, 卡芭拉,
塞维拉) keep coming. Transliterations are written with a small, typical set of
characters in typical sequences (斯, 尔, 亚, 维, 娜 …), so a character model generalizes
where a list cannot. Trained on two sourced lists in ``data/``:

- foreign names in their standard Chinese forms (``translit_train.tsv``: CLDR territory,
  city and language names) plus the FOREIGN word list (``foreign.tsv``);
- native place names (``native_train.tsv``: every county and township name of China,
  minority-language names included, so 阿克苏 or 乌鲁木齐 are native) plus the names known
  to be innocent (``innocent_names.tsv``).

Each character gets the log-odds of its bigram (given the previous character, linearly
interpolated with the unigram, add-α smoothed) under the two models. The score of a name
is the best sum over a contiguous run of at least two characters (a transliteration is
often only part of a longer proper name: 塞纳公馆, 保利拉菲). ``THRESHOLD`` was calibrated
so that about 0.5 % of native names held out of training reach it (``calibrate``).

Counting the training lists costs about two seconds (reading pypinyin's phrase dictionary
most of it), which a process's first check used to pay. The counts are shipped built
instead: ``data/translit_counts.tsv.gz`` holds every bigram count of both models, written
from the recorded sources by ``manage.py build_translit_model`` (``write_counts``); a test
checks that rebuilding gives the same counts, so the file cannot drift from its sources.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTS_FILE = DATA_DIR / "translit_counts.tsv.gz"
START = "^"
LAMBDA = 0.7  # weight of the bigram estimate against the unigram one
ALPHA = 0.1  # add-α smoothing of both estimates
# Calibrated with calibrate() (5-fold, native names, general vocabulary kept): the 99.5th percentile was 6.47, the
# 99th 5.54; 6.0 flags about 0.7 % of held-out native division names (tuned on the tuning part only).
THRESHOLD = 6.0
# Residential areas and buildings, the features the 2018 campaign found most 洋 names on, are judged at a lower
# score: at 4.5, 71 % of foreign names held out of training reach it (57 % at 6.0) and 1.9 % of held-out native
# division names do (5-fold, ``calibrate(quantile=...)``); housing rarely carries the minority-language names
# that make up most of those, and the finding stays a warning asking for the name's origin.
HOUSING_THRESHOLD = 4.5
MIN_RUN = 2
NON_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
MAX_RUN = 12  # transliterations are shorter; bounds the cost on a 20,000-character name


def _terms(filename: str, column: str = "term") -> list[str]:
    with open(DATA_DIR / filename, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return [row[column].strip() for row in csv.DictReader(lines, delimiter="\t") if (row.get(column) or "").strip()]


def foreign_training() -> list[str]:
    return _terms("translit_train.tsv") + _terms("foreign.tsv")


def native_training() -> list[str]:
    return _terms("native_train.tsv") + _terms("innocent_names.tsv", "name")


def general_vocabulary() -> list[str]:
    """Ordinary Chinese words (pypinyin's phrase dictionary, shipped with the package we use
    for romanization): without them, any word absent from place names (非常) looked foreign."""
    from pypinyin.phrases_dict import phrases_dict

    return [w for w in phrases_dict if 2 <= len(w) <= 4 and not NON_HAN.search(w)]


class CharModel:
    """Bigram and unigram counts of one class of names."""

    def __init__(self, names: list[str]):
        self.unigrams: Counter[str] = Counter()
        self.bigrams: Counter[tuple[str, str]] = Counter()
        self.contexts: Counter[str] = Counter()
        for name in names:
            previous = START
            for char in name:
                self.unigrams[char] += 1
                self.bigrams[(previous, char)] += 1
                self.contexts[previous] += 1
                previous = char
        self.total = sum(self.unigrams.values())

    @classmethod
    def from_bigrams(cls, bigrams: Counter[tuple[str, str]]) -> CharModel:
        """The model whose names had these bigram counts (unigrams and contexts follow from them)."""
        fitted = cls([])
        fitted.bigrams = bigrams
        for (previous, char), count in bigrams.items():
            fitted.unigrams[char] += count
            fitted.contexts[previous] += count
        fitted.total = sum(fitted.unigrams.values())
        return fitted

    def log_prob(self, previous: str, char: str, vocabulary: int) -> float:
        unigram = (self.unigrams[char] + ALPHA) / (self.total + ALPHA * vocabulary)
        bigram = (self.bigrams[(previous, char)] + ALPHA * unigram * vocabulary) / (
            self.contexts[previous] + ALPHA * vocabulary
        )
        return math.log(LAMBDA * bigram + (1 - LAMBDA) * unigram)


class TransliterationModel:
    def __init__(self, foreign: list[str] | CharModel, native: list[str] | CharModel):
        self.foreign = foreign if isinstance(foreign, CharModel) else CharModel(foreign)
        self.native = native if isinstance(native, CharModel) else CharModel(native)
        self.vocabulary = len(set(self.foreign.unigrams) | set(self.native.unigrams)) + 1

    def char_scores(self, text: str) -> list[float]:
        scores, previous = [], START
        for char in text:
            if char not in self.foreign.unigrams and char not in self.native.unigrams:
                scores.append(0.0)  # never seen (a traditional form, a rare character): no evidence
                previous = char
                continue
            scores.append(
                self.foreign.log_prob(previous, char, self.vocabulary)
                - self.native.log_prob(previous, char, self.vocabulary)
            )
            previous = char
        return scores

    def best_run(self, text: str) -> tuple[float, str]:
        """The contiguous run of at least ``MIN_RUN`` characters with the highest score."""
        scores = self.char_scores(text)
        best, best_span = float("-inf"), ""
        for start in range(len(text)):
            total = 0.0
            for end in range(start, min(len(text), start + MAX_RUN)):
                total += scores[end]
                if end - start + 1 >= MIN_RUN and total > best:
                    best, best_span = total, text[start : end + 1]
        return (best, best_span) if best_span else (0.0, "")


def trained_model() -> TransliterationModel:
    """The model counted from the training lists (what the shipped counts must equal)."""
    return TransliterationModel(foreign_training(), native_training() + general_vocabulary())


def counts_text(fitted: TransliterationModel) -> str:
    """The bigram counts of both models as sorted TSV lines (``model, previous, char, count``)."""
    lines = [
        f"{tag}\t{previous}\t{char}\t{count}\n"
        for tag, part in (("foreign", fitted.foreign), ("native", fitted.native))
        for (previous, char), count in sorted(part.bigrams.items())
    ]
    return "".join(lines)


def write_counts(path: Path = COUNTS_FILE) -> int:
    """Count the training lists and write the shipped file; returns the number of bigrams."""
    text = counts_text(trained_model())
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    return text.count("\n")


def read_counts(path: Path = COUNTS_FILE) -> TransliterationModel:
    parts: dict[str, Counter[tuple[str, str]]] = {"foreign": Counter(), "native": Counter()}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        tag, previous, char, count = line.split("\t")
        parts[tag][(previous, char)] = int(count)
    return TransliterationModel(CharModel.from_bigrams(parts["foreign"]), CharModel.from_bigrams(parts["native"]))


@cache
def model() -> TransliterationModel:
    """The shipped model (counted from the sources by ``write_counts``), read once per process."""
    return read_counts()


@lru_cache(maxsize=65536)
def transliteration_run(specific: str) -> tuple[float, str]:
    """(score, run) of the most transliteration-like part of ``specific``."""
    if len(specific) < MIN_RUN:
        return 0.0, ""
    return model().best_run(specific)


def looks_transliterated(specific: str, threshold: float = THRESHOLD) -> str:
    """The transliteration-like run inside ``specific``, or "" when it reads as Chinese.

    Only runs of Han characters are judged: digits and letters (…路805弄) are other rules'
    business and would otherwise read as unseen, "foreign" characters.
    """
    for part in NON_HAN.split(specific):
        score, run = transliteration_run(part)
        if score >= threshold:
            return run
    return ""


def calibrate(folds: int = 5, quantile: float = 0.995) -> float:
    """The score that ``quantile`` of held-out native names stay below (for setting THRESHOLD)."""
    foreign, native, general = foreign_training(), native_training(), general_vocabulary()
    held_scores: list[float] = []
    for fold in range(folds):
        train = [n for i, n in enumerate(native) if i % folds != fold]
        fitted = TransliterationModel(foreign, train + general)
        held_scores += [fitted.best_run(n)[0] for i, n in enumerate(native) if i % folds == fold]
    held_scores.sort()
    return held_scores[int(quantile * (len(held_scores) - 1))]
