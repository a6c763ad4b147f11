"""The place-name reading dictionary (地名读音表), consulted before pypinyin's own.

pypinyin reads 长丰 as zhǎng fēng and 单县 as dān xiàn (its general readings; the places
are read cháng fēng and shàn xiàn); a
homophone check keyed on those readings would miss 常丰. The shipped table
``data/place_readings.tsv`` is loaded into pypinyin's phrase dictionary once per
process, at app start-up. pypinyin's segmenter then also applies the phrases inside
longer names (长丰县, 单县路, 长临河镇).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from pypinyin import load_phrases_dict, load_single_dict

DATA_DIR = Path(__file__).resolve().parent / "data"
DIVISIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "divisions.csv"

# Characters whose usual reading in Anhui place names differs from pypinyin's first
# choice: 圩 is wéi (polder) in the Yangtze–Huai area, not xū (southern market).
# 弄 in a place name is a lane, lòng (the 1984 rules' own example, rule 7: 第九弄 Dì-9
# Lòng), not nòng (to handle).
# 长 in a place name is cháng (长治, 长垣, 长清, 长阳 …; pypinyin's first choice is zhǎng): the
# words that read zhǎng (成长, 校长, 长子 — 长子县 Zhǎngzǐ, [L7] of place_readings.tsv) are in
# pypinyin's phrase dictionary, which wins over a single character's reading.
SINGLE_READINGS = {ord("圩"): "wéi,xū", ord("弄"): "lòng,nòng", ord("长"): "cháng,zhǎng"}

_DIVISION_SUFFIXES = ("街道", "省", "市", "县", "区", "镇", "乡")


@cache
def phrase_readings() -> dict[str, list[list[str]]]:
    """Word → one reading per character, from the shipped table."""
    table: dict[str, list[list[str]]] = {}
    with open(DATA_DIR / "place_readings.tsv", encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            word, reading = row[0].strip(), row[1].split()
            if len(reading) != len(word):
                raise ValueError(
                    f"place_readings.tsv: {word!r} has {len(word)} characters but {len(reading)} syllables"
                )
            table[word] = [[syllable] for syllable in reading]
    return table


@cache
def direction_specifics() -> frozenset[str]:
    """Place names ending in a direction character that are used whole as specifics."""
    names: set[str] = set()
    with open(DATA_DIR / "direction_specifics.txt", encoding="utf-8") as fh:
        names.update(line.strip() for line in fh if line.strip() and not line.startswith("#"))
    if DIVISIONS_CSV.exists():
        with open(DIVISIONS_CSV, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name = row["name"]
                for suffix in _DIVISION_SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        names.add(name[: -len(suffix)])
                        break
    return frozenset(names)


@cache
def known_words() -> frozenset[str]:
    """Words kept whole inside specifics (``data/words.txt``)."""
    with open(DATA_DIR / "words.txt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


@cache
def division_words() -> frozenset[str]:
    """Division names without their generic (合肥, 芜湖, 马鞍山, 安徽, and the provinces and
    capitals of ``data/national_divisions.txt``: 北京, 浙江), written apart in long names."""
    with open(DATA_DIR / "national_divisions.txt", encoding="utf-8") as fh:
        words = {line.strip() for line in fh if line.strip() and not line.startswith("#")}
    if DIVISIONS_CSV.exists():
        with open(DIVISIONS_CSV, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["level"] == "township":
                    continue
                name = row["name"]
                for suffix in _DIVISION_SUFFIXES:
                    if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                        words.add(name[: -len(suffix)])
                        break
    return frozenset(words)


# Reading-table words that end in a road's or a water's generic keep their own split
# (塘西河 → Tangxi He, also inside a longer name); the others are words (大蜀山, 蚌埠).
_SPLIT_ENDINGS = frozenset("路街道河江湖")


@cache
def segment_words() -> dict[str, tuple[str, ...]]:
    """First character → the words kept whole in a building's specific, longest first:
    ``known_words``, ``division_words`` and the reading table's place names (大蜀山 stays
    one word, not 大 + 蜀山). Indexed by first character: a name looks up a few words per
    character instead of scanning them all."""
    words = known_words() | division_words()
    words |= {w for w in phrase_readings() if len(w) >= 2 and w[-1] not in _SPLIT_ENDINGS}
    index: dict[str, list[str]] = {}
    for word in words:
        index.setdefault(word[0], []).append(word)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in index.items()}


@cache
def load() -> None:
    """Teach pypinyin the local readings (idempotent; once per process)."""
    load_phrases_dict(phrase_readings())
    load_single_dict(SINGLE_READINGS)
