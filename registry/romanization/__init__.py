"""Standard Hanyu Pinyin for place names (SPEC.md "Romanization", DOMAIN.md §4).

The 1984 place-name spelling rules and GB/T 16159-2012, as applied here:

- the specific (专名) and the generic (通名) are written apart, each capitalised:
  金寨路 → Jinzhai Lu, 南淝河 → Nanfei He, 巢湖 → Chao Hu;
- a single-syllable modifier joins the generic it modifies: 长江中路 → Changjiang
  Zhonglu; unless the specific with that character is itself a place name
  (肥西路 → Feixi Lu);
- a name derived from a road or water keeps that name's own spelling:
  金寨路高架 → Jinzhai Lu Gaojia, 徽州大道桥 → Huizhou Dadao Qiao;
- an apostrophe goes before a non-initial syllable starting with a, o or e:
  天鹅湖 → Tian'e Hu, 马鞍山路 → Ma'anshan Lu, 六安路 → Lu'an Lu;
- local readings come from the place-name reading dictionary (``readings``);
- street ordinals are figures, 儿化 is r, natural features' and divisions' generics are
  written apart, and up to two single-syllable modifiers join a road's or a water's
  generic (``rules``: 经五路 → Jing 5 Lu, 盆儿胡同 → Penr Hutong, 太行山 → Taihang Shan,
  潮白新河 → Chaobai Xinhe).

The registry stores the toneless form; tone-marked and all-capitals sign forms are
derived. ``pinyin_key`` (lower-case toneless syllables run together, ü as v) is the
homophone key; ``initials`` serves search by initials (cjzl).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style
from pypinyin.core import Pinyin

from registry.choices import Category
from registry.generics import GENERIC_MODIFIERS, GENERICS, SETTLEMENT_GENERICS, split_generic
from registry.romanization import readings
from registry.romanization.converter import _per_char, _RememberingConverter
from registry.romanization.keys import normalize_pinyin, pinyin_key
from registry.romanization.rules import (
    AREA_GENERICS,
    GENERIC_MODIFIER_CHARS,
    SETTLEMENT_ENDINGS,
    WATER_MODIFIER_CHARS,
    division_prefix,
    erhua,
    facility_generic,
    feature_generic,
    gate_cut,
    institution_cut,
    modifier_start,
    nationality_spans,
    ordinal_prefix,
    split_figures,
    street_ordinal,
)

__all__ = ["Romanization", "romanize", "pinyin_key", "initials", "normalize_pinyin"]

_VOWEL_START = re.compile(r"^[aoeāáǎàōóǒòēéěè]")
# Generics a derived name may end in before its own generic (金寨路 + 高架, 十五里河 + 桥).
_DERIVED_BASE_GENERICS = ("大道", "大街", "路", "街", "江", "河", "湖", "水库")
_DERIVING_GENERICS = frozenset({"高架", "桥", "大桥", "立交桥", "高架桥", "立交", "隧道"})
# Generics that a single-syllable modifier joins (长江中路 → Zhonglu, 黄屯老街 → Laojie, 合肥南站 → Nanzhan).
JOINING_GENERICS = frozenset({"路", "街", "巷", "道", "里", "弄", "站"})
# Roads and waters (and names without a category) follow rule 2 in full: up to two
# single-syllable modifiers join any generic (潮白新河 → Chaobai Xinhe, 南后街 → Nanhoujie);
# a generic that is already a modified word (大街, 大道, 环路 …) takes none.
_CHAINING_CATEGORIES = frozenset({Category.ROAD, Category.WATER, None})
_COMPOUND_GENERICS = frozenset({"横街", "直街"})
_STREET_GENERICS = frozenset(GENERICS[Category.ROAD]) | {"马路", "公路", "条"}
_DIRECTED_GENERICS = frozenset({"大街", "大道"})
_DIRECTIONS = frozenset("东西南北中")
_BUILDING_GENERICS = frozenset(GENERICS[Category.BUILDING])
_WHOLE_GENERICS = frozenset(
    {"马路", "公路", "大道", "大街", "环路", "高架", "支路", "横街", "直街", "运河", "水库", "湿地"}
)


@dataclass(frozen=True)
class Romanization:
    pinyin: str  # stored form: "Changjiang Zhonglu"
    sign: str  # "CHANGJIANG ZHONGLU"
    key: str  # "changjiangzhonglu"
    initials: str  # "cjzl"
    spans: tuple[tuple[int, int], ...] = ()
    name: str = ""
    plain: tuple[str, ...] = ()  # one written syllable per character, after rules 7 and 12

    @property
    def tone_marked(self) -> str:
        """ "Chángjiāng Zhōnglù": derived on demand (a second pypinyin pass costs as much as the first)."""
        if not self.name:
            return ""
        toned = _syllables(self.name, Style.TONE)
        for index, written in enumerate(self.plain):
            if not written or written[0] in "-0123456789":  # a figure (rule 7) or a 儿 written as r
                toned[index] = written
            elif written.endswith("r") and self.name[index + 1 : index + 2] == "儿" and not toned[index].endswith("r"):
                toned[index] += "r"
        return " ".join(_word(toned[start:end]) for start, end in self.spans)


_PINYIN = Pinyin(_RememberingConverter(v_to_u=True))


def _syllables(text: str, style: Style = Style.NORMAL) -> list[str]:
    """One syllable per character of ``text`` (toneless by default, ü kept).

    Characters that are not Hanzi are kept as they are, one item per character.
    """
    readings.load()
    out = [item[0] for item in _PINYIN.pinyin(text, style=style, errors=_per_char)]
    if len(out) != len(text):  # pragma: no cover - defensive
        raise ValueError(f"cannot align pinyin with {text!r}")
    return out


def _word(syllables: list[str]) -> str:
    """Join syllables into one written word with apostrophes, capitalised."""
    out = ""
    for index, syllable in enumerate(syllables):
        if index and _VOWEL_START.match(syllable) and out and out[-1].isalpha():
            out += "'"
        out += syllable
    return out[:1].upper() + out[1:]


def _split_generic(name: str, category: str | None) -> tuple[str, str]:
    """Like ``generics.split_generic``, but never cuts through a known word (包公|园); a
    name without a category may end in a natural feature's or a division's generic (山, 省)."""
    specific, generic = split_generic(name, category)
    if category == Category.ROAD and name.endswith(("马路", "公路")) and len(name) > 2 and generic == "路":
        specific, generic = name[:-2], name[-2:]  # rule 1: 大/马路 Da Malu, 京津/公路 Jingjin Gonglu
    if category is None:
        feature = feature_generic(name)
        if len(feature) > len(generic) or not specific:
            specific, generic = (name[: len(name) - len(feature)], feature) if feature else (name, "")
    words = readings.known_words()
    while len(generic) > 1 and specific and any((specific + generic[:1]).endswith(w) for w in words if len(w) >= 2):
        shorter = generic[1:]
        specific, generic = name[: len(name) - len(shorter)] if shorter else name, shorter
    return specific, generic


def _word_spans(text: str, offset: int) -> list[tuple[int, int]]:
    """Cut the specific of a building or bridge into words: division names, known words
    and the reading table's place names (rule 14: 北京/工人/体育馆)."""
    words = readings.segment_words()
    spans: list[tuple[int, int]] = []
    run_start = 0
    index = 0
    while index < len(text):
        match = next((w for w in words.get(text[index], ()) if text.startswith(w, index)), "")
        if len(match) >= 2 and len(text) - index > 1 or (match and index + len(match) == len(text) and index):
            if run_start < index:
                spans.append((offset + run_start, offset + index))
            spans.append((offset + index, offset + index + len(match)))
            index += len(match)
            run_start = index
        else:
            index += 1
    if run_start < len(text):
        spans.append((offset + run_start, offset + len(text)))
    return spans


def _segments(name: str, category: str | None) -> list[tuple[int, int]]:
    """Cut ``name`` into written words, as (start, end) character spans."""
    early = _rule_segments(name, category)
    if early is not None:
        return early
    specific, generic = _split_generic(name, category)
    if not specific and len(name) == 2 and generic in _COMPOUND_GENERICS:
        return [(0, 1), (1, 2)]  # rule 1: 横/街 Heng Jie
    if not generic or not specific or (category == Category.VILLAGE and _natural_village(specific, generic)):
        return [(0, len(name))]
    specific, generic, generic_start = _generic_word(specific, generic, category)
    spans = _specific_spans(name, specific, generic, generic_start, category)
    if generic in _DERIVING_GENERICS:
        spans = _derived_spans(name, specific, spans)
    return spans + [(generic_start, len(name))]


def _specific_spans(name: str, specific: str, generic: str, start: int, category: str | None) -> list[tuple[int, int]]:
    """The words of the specific: in words for buildings, bridges and areas, as a street's
    for streets, else one word."""
    if category in (Category.BUILDING, Category.BRIDGE) or (category is None and generic in AREA_GENERICS):
        return _word_spans(specific, 0)
    if category == Category.ROAD or (category is None and generic in _STREET_GENERICS):
        return _street_specific_spans(name[:start])
    return [(0, start)]


def _rule_segments(name: str, category: str | None) -> list[tuple[int, int]] | None:
    """The cuts of the rules that come before a split into specific + generic, or None:
    nationalities, 第 + numeral, settlements, divisions, facilities (no category)."""
    if category in (None, Category.TOWN):
        nations = nationality_spans(name)
        if nations:  # 广西/壮族/自治区
            return nations
    if category not in (Category.VILLAGE, Category.TOWN):
        prefix = ordinal_prefix(name)
        if prefix:  # rule 6: 第二/松花/江 Di'er Songhua Jiang
            return [(0, prefix)] + [(prefix + a, prefix + b) for a, b in _segments(name[prefix:], category)]
    if category is None and name[-1] in SETTLEMENT_ENDINGS and len(name) >= 2 and not division_prefix(name):
        return _segments(name, Category.VILLAGE)  # rule 3: 李庄 Lizhuang, 铁匠营 Tiejiangying
    return _uncategorised_segments(name) if category is None else None


def _uncategorised_segments(name: str) -> list[tuple[int, int]] | None:
    """Rule 14 for names without a category: divisions, facilities and institutions."""
    prefix = division_prefix(name)
    if prefix:  # rule 14: 浙江/省/测绘局, 郑州/市/玻璃厂
        # A single-syllable generic joins what modifies it (汽车站 Qichezhan, 测绘局 Cehuiju).
        single = len(split_generic(name[prefix:], None)[1]) <= 1
        rest = (
            [(prefix, len(name))] if single else [(prefix + a, prefix + b) for a, b in _segments(name[prefix:], None)]
        )
        return [(0, prefix - 1), (prefix - 1, prefix)] + rest
    facility = facility_generic(name, _BUILDING_GENERICS)
    if facility:
        # Rule 14: 人民/英雄/纪念碑, 逍遥津/公园: the specific in words, the generic apart.
        start = len(name) - len(facility)
        return _word_spans(name[:start], 0) + [(start, len(name))]
    cut = institution_cut(name)
    if cut:  # rule 14: 月亮山/种羊场
        return [(0, cut), (cut, len(name))]
    return None


def _street_specific_spans(specific: str) -> list[tuple[int, int]]:
    """The words of a street's specific: a gate's name before a longer specific apart
    (rule 2: 广安门/北滨河), and a street's own name kept as it is spelt, its bare
    single-syllable generic joined (rule 4: 解放路/南小街 Jiefanglu, 包头/胡同/东巷)."""
    if not specific:
        return []
    cut = gate_cut(specific)
    if cut:
        return [(0, cut)] + [(cut + a, cut + b) for a, b in _street_specific_spans(specific[cut:])]
    return _base_street_spans(specific)


def _base_street_spans(text: str) -> list[tuple[int, int]]:
    """A street's name used as another street's specific (rule 4) or before an ordinal (rule
    10's 天宁寺西里/1/巷 Tianningsi Xili 1 Xiang): its own words, with a bare single-syllable
    generic joined to the word before (解放路 Jiefanglu). Only when its generic cuts through
    no known word, and at least two characters come before the generic."""
    base = next((g for g in _STREET_BASES if text.endswith(g)), "")
    if not base or len(text) - len(base) < 2 or any(text.endswith(w) for w in readings.known_words()):
        return [(0, len(text))]
    spans = _segments(text, Category.ROAD)
    if len(spans) > 1 and spans[-1][1] - spans[-1][0] == 1:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans


# Generics that end a street's name used inside a longer name (胡同 as in 包头胡同东巷, 里 as in
# 天宁寺西里一巷), longest first.
_STREET_BASES = ("胡同", "大街", "大道", "马路", "路", "街", "巷", "里")


def _derived_spans(name: str, specific: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A derived name keeps the spelling of every road or water it names (GB 17733 signs
    show one spelling per road): 长江路南淝河桥 → Changjiang Lu Nanfei He Qiao."""
    bases = _base_names(specific)
    if len(bases) > 1:
        return [(start + a, start + b) for start, end, kind in bases for a, b in _segments(name[start:end], kind)]
    _split_derived_base(name, spans)
    return spans


_ROAD_BASES = ("大道", "大街", "路", "街")


def _base_names(text: str, start: int = 0) -> list[tuple[int, int, str]]:
    """``text`` as a run of road and water names, (start, end, category) each, or [] when
    it is none: 长江路南淝河 → 长江路 + 南淝河. A name has at least two characters before
    its generic, and its generic cuts through no known word (长江 is no 长 + 江)."""
    if start == len(text):
        return []
    for end in range(start + 3, len(text) + 1):
        piece = text[start:end]
        base = next((g for g in _DERIVED_BASE_GENERICS if piece.endswith(g)), "")
        if not base or len(piece) - len(base) < 2 or any(piece.endswith(w) for w in readings.known_words()):
            continue
        rest = _base_names(text, end)
        if end == len(text) or rest:
            kind = Category.ROAD if base in _ROAD_BASES else Category.WATER
            return [(start, end, kind)] + rest
    return []


# The generics of administrative villages and communities, written apart (三星/村 Sanxing Cun).
_ADMINISTRATIVE_VILLAGE_GENERICS = frozenset({"村", "社区", "居委会", "村委会"})


def _natural_village(specific: str, generic: str) -> bool:
    """Rule 3: a natural village is written as one word (周口店, 众埠街, 南王家荡, 唐嘴): a
    village whose generic is an old settlement generic or another feature's, not an
    administrative one. A modified street generic stays apart (黄屯/老街, an old street)."""
    if generic in SETTLEMENT_GENERICS or (generic == "村" and len(specific) == 1):
        return True  # a one-syllable specific with 村 names the clan's village: 王村 Wangcun
    return generic not in _ADMINISTRATIVE_VILLAGE_GENERICS and specific[-1:] not in GENERIC_MODIFIERS


def _generic_word(specific: str, generic: str, category: str | None = None) -> tuple[str, str, int]:
    """The specific and generic as written, and where the generic's word starts: a
    single-syllable modifier joins it (长江中路 → Changjiang Zhonglu)."""
    generic_start = len(specific)
    if generic == "环路":  # 东环路 → Donghuan Lu (a numbered ring is rule 7: 一环路 → 1 Huanlu)
        generic_start += 1
        specific += "环"
        generic = "路"
    if (
        generic in _DIRECTED_GENERICS
        and len(specific) >= 3
        and specific[-1] in _DIRECTIONS
        and specific not in readings.direction_specifics()
    ):
        # Rule 2: a single-syllable direction joins even a two-syllable generic
        # (东单北大街 → Dongdan Beidajie, as 长江中路 → Changjiang Zhonglu).
        return specific[:-1], generic, generic_start - 1
    if category in _CHAINING_CATEGORIES and generic not in _WHOLE_GENERICS:
        # A direction before a natural feature's generic is its specific's (北雁荡/山, 中南/海);
        # only a street's generic takes one (南/小街, 景山/后街).
        street = category == Category.ROAD or (category is None and generic in _STREET_GENERICS)
        modifiers = GENERIC_MODIFIER_CHARS if street else WATER_MODIFIER_CHARS
        start = modifier_start(specific, readings.direction_specifics(), modifiers)
        generic_start -= len(specific) - start
        return specific[:start], generic, generic_start
    if (
        len(specific) >= 2
        and specific[-1] in GENERIC_MODIFIERS
        and specific not in readings.direction_specifics()
        and generic in JOINING_GENERICS
    ):
        generic_start -= 1
        specific = specific[:-1]
    return specific, generic, generic_start


def _split_derived_base(name: str, spans: list[tuple[int, int]]) -> None:
    """A derived name keeps its base's spelling (金寨路高架 → Jinzhai Lu Gaojia): the last
    word of the specific is cut before its own generic, in place."""
    last_start, last_end = spans[-1]
    last = name[last_start:last_end]
    base = next((g for g in _DERIVED_BASE_GENERICS if last.endswith(g)), "")
    if base and len(last) - len(base) >= 2 and last not in readings.known_words():
        spans[-1:] = [(last_start, last_end - len(base)), (last_end - len(base), last_end)]


def _ordinal_spans(name: str, ordinal: tuple[int, int, int], plain: list[str]) -> list[tuple[int, int]]:
    """Rule 7: the ordinal as figures, a word of its own (经 5 路), joined to a 第 before
    it with a hyphen (第九弄 → Di-9 Long); ``plain`` is rewritten in place."""
    begin, end, value = ordinal
    plain[begin:end] = [str(value)] + [""] * (end - begin - 1)
    if begin == 1 and name[0] == "第":
        plain[begin] = "-" + plain[begin]
        return [(0, end), (end, len(name))]
    return (
        _base_street_spans(name[:begin]) + [(begin, end), (end, len(name))] if begin else [(0, end), (end, len(name))]
    )


@lru_cache(maxsize=8192)
def romanize(name: str, category: str | None = None) -> Romanization:
    """The standard romanization of ``name`` (a Hanzi place name) in ``category``.

    Pure (the reading dictionary is fixed at start-up), hence cached.
    """
    name = name.strip()
    if not name:
        return Romanization("", "", "", "")
    plain = erhua(name, _syllables(name), category)
    for index in range(len(name) - 1):
        if name[index] == "第" and name[index + 1].isdigit():
            plain[index + 1] = "-" + plain[index + 1]  # rule 7: 第9弄 → Di-9 Long
    ordinal = street_ordinal(name) if category in (Category.ROAD, None) else None
    if ordinal:
        spans = tuple(_ordinal_spans(name, ordinal, plain))
    else:
        spans = tuple(_segments(name, category))
    if any(char.isdigit() for char in name):
        spans = tuple(split_figures(name, spans))
    text = " ".join(_word(plain[start:end]) for start, end in spans)
    return Romanization(
        pinyin=text,
        sign=text.upper(),
        key=pinyin_key(text),
        initials="".join(s[0] for s in plain if s and s[0].isalpha()).lower(),
        spans=spans,
        name=name,
        plain=tuple(plain),
    )


def initials(name: str) -> str:
    """Initial letters of each syllable of a Hanzi name: 长江中路 → cjzl."""
    return romanize(name).initials
