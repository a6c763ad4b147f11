"""Generic terms (通名) per category, and the split of a name into specific + generic.

The contract's table (SPEC.md "Place categories") plus the generics DOMAIN.md §5
reports in use. Romanization uses the split to write the specific and the generic
apart; the validator (its own issue) uses the same table to judge generics, so this
is the one place the lists live.
"""

from __future__ import annotations

from functools import lru_cache

from registry.choices import Category

GENERICS: dict[str, tuple[str, ...]] = {
    Category.ROAD: ("大道", "大街", "路", "街", "巷", "里", "弄", "道", "环路", "高架", "胡同", "支路", "横街", "直街"),
    Category.WATER: (
        "江",
        "河",
        "湖",
        "溪",
        "渠",
        "塘",
        "水库",
        "港",
        "湾",
        "沟",
        "堰",
        "涧",
        "汊",
        "运河",
        "荡",
        "潭",
        "湿地",
    ),
    Category.BRIDGE: ("桥", "大桥", "立交桥", "高架桥", "立交", "人行天桥", "天桥", "隧道"),
    Category.BUILDING: (
        "大厦",
        "大楼",
        "商厦",
        "中心",
        "广场",
        "城",
        "塔",
        "馆",
        "楼",
        # Facilities of important orientation value (条例 Art. 3) named as buildings,
        # and historic buildings (寺, 庙, 祠, 故居 …).
        "纪念馆",
        "博物馆",
        "博物院",
        "图书馆",
        "剧院",
        "大剧院",
        "戏院",
        "大戏院",
        "体育馆",
        "机场",
        "站",
        "火车站",
        "公园",
        "寺",
        "庙",
        "祠",
        "故居",
        "旧居",
        "台",
        "宾馆",
        "酒店",
        "饭店",
        "医院",
        "大学",
        "学院",
        "陵园",
    ),
    Category.RESIDENTIAL: (
        "小区",
        "花园",
        "苑",
        "园",
        "公寓",
        "新村",
        "城",
        "庭",
        "家园",
        "山庄",
        "别墅",
        "居",
        "花苑",
        "里",
    ),
    Category.TOWN: ("镇", "乡", "街道"),
    Category.VILLAGE: (
        "村",
        "社区",
        "庄",
        "居委会",
        "村委会",
        *("郢", "岗", "圩", "集", "店", "铺", "营", "寨", "冲", "畈", "墩", "埠", "嘴", "屯", "湾"),
    ),
}

# Generics of no category here: natural features, and words the campaign rejects as
# residential generics (峰/府/岛, DOMAIN.md §3.2). A name ending in one has the wrong generic.
IMPROPER_GENERICS = ("岛", "山", "峰", "岭", "府", "宫", "殿", "邸", "墅", "栋", "国", "州")

# Old Anhui settlement generics (DOMAIN.md §5: 大房郢, 双岗, 店埠, 唐嘴 …). A natural
# village is written as one word in pinyin (1984 rules §3: 王村 Wangcun, 唐嘴 Tangzui).
SETTLEMENT_GENERICS = frozenset(
    ("郢", "岗", "圩", "集", "店", "铺", "营", "寨", "冲", "畈", "墩", "埠", "嘴", "屯", "湾")
)

ALL_GENERICS: frozenset[str] = frozenset(g for terms in GENERICS.values() for g in terms)

# Single-syllable modifiers that join the generic they modify (1984 rules, §2):
# 长江中路 → Changjiang Zhonglu, 景山后街 → Jingshan Houjie, 南小街 → Nan Xiaojie.
GENERIC_MODIFIERS = frozenset("东西南北中前后上下内外小老")


# Generics of commemorative places, which are named after a person by their nature
# (孙立人故居, 渡江战役纪念馆): PERSON_NAME does not apply to them.
COMMEMORATIVE_GENERICS = frozenset({"故居", "旧居", "纪念馆", "祠", "陵园", "墓"})


@lru_cache(maxsize=64)
def _by_length(category: str | None) -> tuple[tuple[int, frozenset[str]], ...]:
    """The generics to try as (length, the generics of that length), longest first: the
    category's before all others."""
    own = frozenset(GENERICS.get(category, ()))
    return tuple(
        (length, frozenset(g for g in group if len(g) == length))
        for group in (own, ALL_GENERICS - own)
        for length in sorted({len(g) for g in group}, reverse=True)
    )


@lru_cache(maxsize=65536)  # a check splits one name several times; not sized for a whole import (memory)
def split_generic(name: str, category: str | None = None) -> tuple[str, str]:
    """Cut the longest known generic off the end of ``name``: ``("长江中", "路")``.

    Looks in the category's list first, then in every list (a road called …河 still
    splits, so that the validator can tell the generic is of the wrong kind). Returns
    ``(name, "")`` when no generic ends the name. One set lookup per generic length
    (the name's last four, three … characters), not one ``endswith`` per generic.
    """
    for length, generics in _by_length(category):
        ending = name[-length:]
        if ending in generics:
            return name[:-length], ending
    return name, ""


def generic_category(generic: str) -> str | None:
    """The first category whose list holds ``generic``, or None."""
    for category, terms in GENERICS.items():
        if generic in terms:
            return category
    return None
