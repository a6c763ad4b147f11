"""The 1984 rules that go beyond "specific + generic": numbers, 儿化, generics of features
outside the registry's categories, and single-syllable modifiers of any generic.

Each function is one rule of 中国地名汉语拼音字母拼写规则（汉语地名部分）([84]中地字第17号),
and its worked examples are table tests (``tests/test_romanization_rules.py``):

- rule 7: codes and the ordinal numbers of streets are Arabic figures, written apart:
  二马路 2 Malu, 经五路 Jing 5 Lu, 三环路 3 Huanlu, 东四十二条 Dongsi 12 Tiao, 第九弄
  Di-9 Long, 1203高地 1203 Gaodi; a numeral that is not an ordinal stays pinyin (rule 6:
  三八路 Sanba Lu and 五一广场 Wuyi Guangchang are dates, 二道沟 Erdao Gou is no street);
- rule 12: 儿化 is written r where 儿 is written (盆儿胡同 Penr Hutong). Only in street
  names, where 儿 is the Beijing-style 儿化; in other names 儿 is often a full syllable
  (猫儿山 Mao'er Shan, 女儿河 Nü'er He);
- rules 1 and 4: the generics of natural features and divisions (山, 群岛, 海峡, 高原, 省,
  市, 县, 自治区 …), which no SPEC category holds, are written apart when a name is
  romanized without a category (a mountain, a division);
- rule 2: a single-syllable modifier before any generic joins it (潮白新河 Chaobai Xinhe,
  造币左路 Zaobi Zuolu, 东直门外南后街 … Nanhoujie: two in a row both join), but not a
  direction naming a feature's side (江东路 Jiangdong Lu, ``side_of_a_feature``); a gate's
  name before a longer specific is a multi-syllable qualifier, written apart (``gate_cut``);
- rule 4: a street's name inside another street's specific keeps its own spelling, its
  single-syllable generic joined (解放路/南小街 Jiefanglu Nanxiaojie, a two-syllable one
  apart: 包头/胡同/东巷);
- rule 6: an ordinal 第 + numeral before a longer name is a word of its own (第二松花江 Di'er
  Songhua Jiang; ``ordinal_prefix``), inside a settlement's name it joins (第六屯 Diliutun);
- rule 3 without a category: a name ending in a settlement's generic (庄, 屯, 营 …) is a
  natural village, written as one word (``SETTLEMENT_ENDINGS``);
- GB/T 16159-2012 and the sign standard's practice for autonomous divisions: each
  nationality's name is a word of its own, 族 joined to it (广西/壮族/自治区 Guangxi
  Zhuangzu Zizhiqu; ``nationality_spans``).
"""

from __future__ import annotations

import re
from functools import lru_cache

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
NUMERAL_CHARS = frozenset(CHINESE_DIGITS) | {"十", "百"}
# Street generics whose ordinal is written in figures (rule 7's examples: 马路, 路, 环路, 巷, 条, 弄).
ORDINAL_GENERICS = ("马路", "环路", "胡同", "大街", "路", "街", "巷", "条", "弄", "里")
# Generics of natural features and divisions (rules 1, 4, 14; GB/T 38207-2019's classes),
# longest first; used only when a name is romanized without a category.
FEATURE_GENERICS = tuple(
    sorted(
        (
            # Areas of GB/T 38207-2019's human features: one word each (Kaifaqu, Fengjingqu).
            "开发区",
            "风景名胜区",
            "风景区",
            "自然保护区",
            "保护区",
            "度假区",
            "旅游区",
            "工业园区",
            "工业园",
            "产业园",
            # Divisions, islands and seas, land forms, waters and streets (rules 1 and 4).
            *"自治区 自治州 自治县 自治旗 特别行政区 省 市 县 区 旗 盟 地区 乡 镇 街道".split(),
            *"群岛 列岛 半岛 岛 海峡 海湾 湾 海 高原 盆地 平原 山脉 山 峰 岭 峡 沟 谷 高地".split(),
            *"江 河 湖 水库 运河 渠 公路 马路 大街 路 街 巷 胡同 弄 条".split(),
        ),
        key=len,
        reverse=True,
    )
)
# Single-syllable modifiers of a generic (rule 2: 新河, 左路, 直街, 后街, 小巷 …).
# Not 内/外: after a gate they belong to the specific (朝阳门内/大街, 东直门外/南后街).
GENERIC_MODIFIER_CHARS = frozenset("东西南北中前后上下小老新左右直横")
# A water's direction is its place's (塘西河: the river of 塘西); only 新/老/小 modify the generic.
WATER_MODIFIER_CHARS = frozenset("新老小")
MAX_MODIFIERS = 2  # 南后街 (rule 2's example); a third is the specific's own (东直门外)
_DIGITS = re.compile(r"[0-9]+")


_CANONICAL_NUMBER = re.compile(
    r"^(?:([一二三四五六七八九])百(?:[零〇](?=[一二三四五六七八九]$))?)?"
    r"(?:([一二三四五六七八九]?)十)?([一二三四五六七八九])?$"
)


def chinese_number(text: str) -> int | None:
    """The value of a canonically written Chinese number (五 5, 十二 12, 二十 20, 一百零三 103),
    or None for a string of numerals that is no number (三八, 五一, 八一 are dates)."""
    match = _CANONICAL_NUMBER.match(text or "")
    if not text or not match:
        return None
    hundreds, tens, ones = match.groups()
    has_tens = "十" in text
    value = CHINESE_DIGITS[hundreds] * 100 if hundreds else 0
    value += (CHINESE_DIGITS[tens] if tens else 1) * 10 if has_tens else 0
    return value + (CHINESE_DIGITS[ones] if ones else 0)


def street_ordinal(name: str) -> tuple[int, int, int] | None:
    """(start, end, value) of a street's ordinal number right before its generic, or None.

    经五路 → (1, 2, 5); 二马路 → (0, 1, 2) (a bare ordinal only before 马路 or 环路: 一路
    alone is no name); 三八路 → None (三八 is no number, a date). A direction and a numeral
    before a number are a place of their own (东四十二条: 东四 + 十二, the rule's example)."""
    generic = next((g for g in ORDINAL_GENERICS if name.endswith(g)), "")
    head = name[: len(name) - len(generic)] if generic else ""
    begin = len(head)
    while begin > 0 and head[begin - 1] in NUMERAL_CHARS:
        begin -= 1
    run = head[begin:]
    if not run or chinese_number(run) is None:
        return None
    if begin == 1 and head[0] in "东西南北" and len(run) >= 2 and chinese_number(run[1:]) is not None:
        begin, run = begin + 1, run[1:]
    if begin == 0 and generic not in ("马路", "环路"):
        return None
    return begin, len(head), chinese_number(run)


# Without a category, a name ending in one of these is a street's (盆儿胡同 Penr Hutong).
STREET_ENDINGS = ("胡同", "大街", "马路", "路", "街", "巷", "弄", "条")


def erhua(name: str, syllables: list[str], category: str | None) -> list[str]:
    """Rule 12: in a street name, 儿 after a syllable is written as its r (盆儿 → penr); a
    name without a category is a street's when it ends in a street generic."""
    street = category == "road" or (category is None and name.endswith(STREET_ENDINGS))
    if not street or "儿" not in name:
        return syllables
    out = list(syllables)
    for index, char in enumerate(name):
        if char == "儿" and index and out[index - 1][-1:].isalpha() and "\u4e00" <= name[index - 1] <= "\u9fff":
            out[index - 1] += "r"
            out[index] = ""
    return out


def feature_generic(name: str) -> str:
    """The generic of a natural feature or division a name ends in (太行山 → 山), or ""."""
    return next((g for g in FEATURE_GENERICS if name.endswith(g) and len(name) > len(g)), "")


def modifier_start(specific: str, protected: frozenset[str], modifiers: frozenset[str] = GENERIC_MODIFIER_CHARS) -> int:
    """Where the single-syllable modifiers at the end of ``specific`` begin (len(specific)
    when there are none): 东直门外南后 → the index of 南 (at most ``MAX_MODIFIERS``). A
    specific that is itself a place name ending in a direction (肥西, ``protected``) keeps
    its last character, and at least two characters stay in the specific."""
    start = len(specific)
    while (
        len(specific) - start < MAX_MODIFIERS
        and start > 2 - (start == len(specific))
        and specific[start - 1] in modifiers
        and specific[:start] not in protected
        and not side_of_a_feature(specific[:start])
    ):
        start -= 1
    return start


FEATURE_CHARS = frozenset("江河湖海山城溪港塘湾岭桥镇村")


def side_of_a_feature(specific: str) -> bool:
    """江东, 城南: the land on a feature's side; rule 2's 小/南街 splits (小 names no feature)."""
    return len(specific) == 2 and specific[0] in FEATURE_CHARS and specific[1] in "东西南北中"


def digit_runs(text: str) -> list[tuple[int, int]]:
    """Spans of Arabic figures (a code: 1203高地), each written as a word of its own."""
    return [(m.start(), m.end()) for m in _DIGITS.finditer(text)]


_DIVISION_PREFIX = re.compile(r"^([\u4e00-\u9fff]{1,3}?)(省|市|县)(?=[\u4e00-\u9fff]{2,})")


def division_prefix(name: str) -> int:
    """Rule 14: where a division written before a facility's or an enterprise's name ends
    (浙江省测绘局 → 3, after 浙江省; 费县汽车站 → 2), or 0. Used only for names without a
    category: the registry's own categories have their own generics."""
    match = _DIVISION_PREFIX.match(name)
    return match.end() if match and not feature_generic(name[match.end() :]) == name[match.end() :] else 0


# Rule 14's generics of facilities and enterprises that join the word before them (种羊场,
# 测绘局, 汽车站), and the generics of natural features a facility may be named after.
INSTITUTION_GENERICS = frozenset("场厂站局所院馆校矿")
_FEATURE_ENDINGS = frozenset("山湖江河岛峰岭海湾港")


def institution_cut(name: str) -> int:
    """Rule 14: where the natural feature's name ends in the name of a facility or an
    enterprise named after it (月亮山种羊场 → 3: Yueliangshan Zhongyangchang), or 0. The
    feature's name has at least two characters and the facility's at least two, the last
    of them its generic; the last such feature wins (江山湖渔场: 江山湖 + 渔场)."""
    if len(name) < 4 or name[-1] not in INSTITUTION_GENERICS:
        return 0
    return next((end for end in range(len(name) - 2, 1, -1) if name[end - 1] in _FEATURE_ENDINGS), 0)


# Settlement generics that end a natural village's name (rule 3: 王村, 李庄, 铁匠营, 第六屯, 龙王集):
# without a category such a name is read as a village. Not 店/湾/沟/岗/冲/嘴/埠, which also end
# buildings (饭店) and natural features (渤海湾, 二道沟).
SETTLEMENT_ENDINGS = frozenset("庄村屯营集寨堡铺郢圩畈")

# The numerals a 第 ordinal is made of.
_ORDINAL_PREFIX = re.compile(r"^第[一二三四五六七八九十百零〇两]+")


def ordinal_prefix(name: str) -> int:
    """Rule 6: the length of a leading 第 + numeral (第二松花江 → 2), or 0. Only before at
    least two more characters: 第九弄 is a street ordinal (rule 7), 第六屯 one word."""
    match = _ORDINAL_PREFIX.match(name)
    if not match or chinese_number(match.group()[1:]) is None or len(name) - match.end() < 2:
        return 0
    return match.end()


def gate_cut(specific: str) -> int:
    """Rule 2: where a gate's name (…门, …门内, …门外) ends when a specific of at least two
    more characters follows it (广安门/北滨河/路), or 0. A gate that is the whole specific
    stays one word (朝阳门内/大街, 东直门外/南后街)."""
    index = specific.find("门", 2)
    while index != -1:
        end = index + 1
        if specific[end : end + 1] in ("内", "外") and len(specific) - end > 1:
            end += 1
        if len(specific) - end >= 2:
            return end
        index = specific.find("门", index + 1)
    return 0


# The nationalities whose names are written in pinyin inside an autonomous division's name
# (国家民委 list of the 56 nationalities; those whose divisions are spelled in their own
# language's transliteration, 维吾尔 Uygur, 鄂伦春 Oroqen, 达斡尔 Daur …, are left out).
NATIONALITIES = tuple(
    sorted(
        (
            "壮族",
            "回族",
            "苗族",
            "瑶族",
            "傣族",
            "满族",
            "蒙古族",
            "土家族",
            "侗族",
            "布依族",
            "彝族",
            "白族",
            "哈尼族",
            "黎族",
            "傈僳族",
            "佤族",
            "畲族",
            "拉祜族",
            "水族",
            "东乡族",
            "纳西族",
            "景颇族",
            "土族",
            "羌族",
            "仫佬族",
            "毛南族",
            "仡佬族",
            "撒拉族",
            "保安族",
            "裕固族",
            "普米族",
            "怒族",
            "独龙族",
            "基诺族",
            "京族",
            "朝鲜族",
            "藏族",
            "布朗族",
            "阿昌族",
            "德昂族",
        ),
        key=len,
        reverse=True,
    )
)
# A nationality township (…回族乡) has the plain generic; only a nationality before it makes it one.
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗", "乡", "镇")


def nationality_spans(name: str) -> list[tuple[int, int]] | None:
    """广西壮族自治区 → 广西/壮族/自治区; 金平苗族瑶族傣族自治县 → 金平/苗族/瑶族/傣族/自治县,
    or None when ``name`` is no autonomous division named after a nationality listed here."""
    generic = next((g for g in _AUTONOMOUS if name.endswith(g)), "") if "族" in name else ""
    if not generic:
        return None
    end = len(name) - len(generic)
    spans = [(end, len(name))]
    while True:
        nation = next((n for n in NATIONALITIES if name[:end].endswith(n)), "")
        if not nation or end - len(nation) < 2:
            break
        spans.insert(0, (end - len(nation), end))
        end -= len(nation)
    if len(spans) == 1:
        return None
    return [(0, end)] + spans


# Rule 14: generics of facilities, memorials and buildings of two syllables or more, written
# apart from a specific cut into words (北京/工人/体育馆, 人民/英雄/纪念碑); GB/T 38207-2019's
# classes of memorials (纪念碑, 纪念塔, 纪念亭) beside the registry's building generics.
MEMORIAL_GENERICS = ("纪念碑", "纪念塔", "纪念亭", "纪念堂", "纪念林", "烈士陵园", "烈士墓")


# Generics of areas (GB/T 38207-2019), whose specifics are cut into words (合肥/经济/技术/开发区).
AREA_GENERICS = frozenset(
    {"开发区", "风景名胜区", "风景区", "自然保护区", "保护区", "度假区", "旅游区", "工业园区", "工业园", "产业园"}
)


def facility_generic(name: str, building_generics: frozenset[str]) -> str:
    """The facility generic of two or more syllables that ends ``name`` (纪念碑, 体育馆,
    公园), with at least two characters before it, or ""."""
    by_last = _facility_generics(building_generics)
    generic = next((g for g in by_last.get(name[-1:], ()) if name.endswith(g)), "")
    return generic if generic and len(name) - len(generic) >= 2 else ""


@lru_cache(maxsize=4)
def _facility_generics(building_generics: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """The generics of two or more syllables by their last character, longest first."""
    index: dict[str, list[str]] = {}
    for generic in sorted({g for g in (*MEMORIAL_GENERICS, *building_generics) if len(g) >= 2}, key=len, reverse=True):
        index.setdefault(generic[-1], []).append(generic)
    return {last: tuple(group) for last, group in index.items()}


def split_figures(name: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Rule 7: Arabic figures (a code, an ordinal already in figures) are a word of their
    own: 经6路 → Jing 6 Lu, 1203高地 → 1203 Gaodi. A figure after 第 keeps its hyphen."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        cuts = {start, end}
        for a, b in digit_runs(name[start:end]):
            if not (a == 1 and name[start] == "第"):
                cuts.update((start + a, start + b))
        points = sorted(cuts)
        out.extend(zip(points, points[1:], strict=False))
    return out
