"""Deterministic synthetic place-name corpora for the benchmarks.

Two kinds:

- ``realistic_corpus`` and ``national_corpus`` (issue #18): the name distribution of a
  real registry, see ``realistic_rows`` below. Every benchmark's headline figures are on
  these.
- ``corpus`` (the older, repeating corpus, kept for the figures measured on it and the
  tests that want a dense corpus): a 2–4-character specific built from Anhui/Hefei
  morphemes and common place-name characters, an optional direction and a generic, all
  in Hefei; about a fifth of its rows repeat an earlier row exactly, so a benchmark on it
  judges fewer distinct names than it has rows. Label figures measured on it.

Queries are perturbed corpus names (one-character substitution, homophone substitution,
insertion, deletion, exact duplicate) and fresh names, so that every path of the check
is exercised.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

MORPHEMES = (
    "长江 淮河 金寨 徽州 宿州 阜阳 亳州 蒙城 砀山 寿春 六安 霍山 舒城 桐城 潜山 太湖 宿松 望江 怀宁 安庆 黄山 屯溪 "
    "歙县 休宁 祁门 黟县 绩溪 宁国 广德 郎溪 芜湖 繁昌 南陵 马鞍 当涂 含山 和县 巢湖 铜陵 池州 青阳 东至 石台 滁州 "
    "全椒 来安 定远 凤阳 明光 天长 蚌埠 怀远 五河 固镇 淮南 凤台 淮北 濉溪 萧县 灵璧 泗县 界首 临泉 太和 颍上 阜南 "
    "利辛 涡阳 肥西 肥东 长丰 庐江 无为 翡翠 天鹅 琥珀 紫云 习友 合作 繁华 包河 庐州 蜀山 瑶海 庐阳 大房 董铺 南淝 "
    "板桥 四里 塘西 丰乐 杭埠 柘皋 烔炀 夏阁 散兵 三河 上派 桃花 官亭 撮镇 店埠 吴山 庄墓 水湖 双墩 金牛 龙桥 汤池 "
    "庐城 大圩 小庙 高刘 严店 花岗 紫蓬 磨店 义井 岗集 杜集 罗集 下塘 造甲 陶楼 杨庙 吴山 义城 烟墩 骆岗 滨湖 方兴 "
    "锦绣 玉兰 紫薇 桂花 梧桐 银杏 香樟 石榴 海棠 芙蓉 茉莉 兰花 松竹 青松 翠竹 白云 蓝天 朝阳 晨光 春晖 秋实 和平 "
    "幸福 友谊 团结 胜利 光明 红星 新华 建设 前进 东风 向阳 太平 永安 安居 康宁 祥和 瑞丰 嘉禾 丰收 兴隆 富民 振兴"
).split()
GENERICS = {
    "road": ("路", "路", "路", "街", "大道", "巷"),
    "water": ("河", "湖", "塘", "水库", "渠"),
    "bridge": ("桥", "大桥", "立交桥"),
    "building": ("大厦", "中心", "大楼"),
    "residential": ("花园", "小区", "苑", "家园", "新村", "公寓"),
    "town": ("镇", "乡", "街道"),
    "village": ("村", "社区"),
}
CATEGORY_WEIGHTS = {"road": 40, "water": 6, "bridge": 4, "building": 10, "residential": 25, "town": 3, "village": 12}
DIRECTIONS = ("东", "西", "南", "北", "中")
SINGLE = "金银玉石松竹梅兰桂花春秋冬夏东南西北明光华丰安宁康乐福寿祥瑞云霞山水湖海江河泉溪林园新城"
HOMOPHONE_SWAPS = {
    "江": "姜",
    "寨": "斋",
    "州": "洲",
    "山": "珊",
    "湖": "糊",
    "河": "禾",
    "城": "程",
    "华": "桦",
    "安": "鞍",
    "阳": "杨",
    "明": "名",
    "光": "广",
    "金": "今",
    "长": "常",
    "丰": "风",
    "宁": "凝",
}
# Hefei's county-level units (2023 codes), where the synthetic places lie.
DIVISIONS = ("340102", "340103", "340104", "340111", "340121", "340122", "340123", "340124", "340181")


def make_name(rng: random.Random) -> tuple[str, str]:
    category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
    parts = [rng.choice(MORPHEMES)]
    roll = rng.random()
    if roll < 0.35:
        parts.append(rng.choice(SINGLE))
    elif roll < 0.55:
        parts.append(rng.choice(MORPHEMES))
    specific = "".join(parts)
    if category == "road" and rng.random() < 0.25:
        specific += rng.choice(DIRECTIONS)
    return specific + rng.choice(GENERICS[category]), category


def corpus(size: int, seed: int = 2026) -> list[tuple[str, str, str]]:
    """(name, category, division) rows; about 18 % repeat an earlier name."""
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    for _ in range(size):
        if rows and rng.random() < 0.18:
            name, category, _division = rng.choice(rows)
        else:
            name, category = make_name(rng)
        rows.append((name, category, rng.choice(DIVISIONS)))
    return rows


def queries(rows: list[tuple[str, str, str]], count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """Perturbed corpus names and fresh names, with the division to check them in."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        name, category, division = rng.choice(rows)
        kind = i % 6
        chars = list(name)
        position = rng.randrange(max(1, len(chars) - 1))
        if kind == 0:
            chars[position] = rng.choice(SINGLE)
        elif kind == 1:
            swappable = [j for j, c in enumerate(chars) if c in HOMOPHONE_SWAPS]
            if swappable:
                j = rng.choice(swappable)
                chars[j] = HOMOPHONE_SWAPS[chars[j]]
        elif kind == 2:
            chars.insert(position, rng.choice(SINGLE))
        elif kind == 3 and len(chars) > 3:
            del chars[position]
        elif kind == 5:
            fresh, category = make_name(rng)
            chars = list(fresh)
        out.append(("".join(chars), category, division))
    return out


# --- The realistic corpora (issue #18) ---------------------------------------------------
#
# What a real registry looks like, and where each property comes from:
#
# - Places: the real county-level divisions of China and their township-level units
#   (2023 statistical codes, benchmarks/data/china_divisions.tsv.gz, source in its header).
#   A row's division is a real county code; the uniqueness scopes are the registry's own
#   (registry/validation/conf.py SCOPES: the city for roads, bridges, buildings,
#   residential areas and waters; the province for towns; the county for villages).
# - Size per city: proportional to the city's township-level units, a 街道 (urban
#   sub-district) counting URBAN_WEIGHT times a 镇/乡. The unit counts are real; the weight
#   is an assumption (urban sub-districts hold more roads, buildings and estates). Over
#   China's 342 cities it gives a long tail: the largest city holds about 10x the
#   median, the ten largest about 10 % of all names, the smallest a few hundred.
# - Towns: the real township-level units of the city (their real names, 2023), at the
#   national share (41,352 units among 13 million names, TOWN_SHARE); the rest of the
#   mix (CATEGORY_MIX) is an assumption: roads and residential areas dominate an urban
#   registry, villages are about 5 % (China has some 600k villages and communities).
# - Specifics are real place-name morphemes: the division names of China
#   (registry/validation/data/native_train.tsv, sourced there), half of them local (the
#   city's own county and township names, as 长丰路 or 双墩路 are in Hefei), half from
#   anywhere in China (芜湖路, 黄山路); no random characters.
# - Series and derived names, as DOMAIN.md §2 describes them: direction series (长江东路,
#   长江西路, 长江中路), numbered series (经一路…经十路, 淮河一路, 淮河二路), bridges
#   named after their road (长江路桥) or their river (南淝河桥), estates after a road.
# - Names are distinct within their scope, except the legacy conflicts a real registry
#   keeps: EXACT_REPEAT of rows repeat an earlier row of the city exactly (< 1 %), and
#   SCOPE_REPEAT reuse a road name of the city in another county (a DUPLICATE the audit
#   finds). Across scopes names repeat freely (every city has its 人民路 once).

_DATA = Path(__file__).resolve().parent / "data" / "china_divisions.tsv.gz"
_NATIVE = Path(__file__).resolve().parent.parent / "registry" / "validation" / "data" / "native_train.tsv"

NATIONAL_SIZE = 13_000_000
TOWN_SHARE = 41_352 / NATIONAL_SIZE
URBAN_WEIGHT = 3
EXACT_REPEAT = 0.004
SCOPE_REPEAT = 0.003
CATEGORY_MIX = {"road": 33, "residential": 26, "building": 15, "water": 8, "bridge": 7, "village": 5.7}
REAL_GENERICS = {
    "road": {"路": 60, "街": 12, "巷": 12, "大道": 8, "道": 3, "大街": 3, "里": 2},
    "water": {"河": 40, "塘": 20, "渠": 12, "沟": 10, "湖": 8, "水库": 8, "溪": 2},
    "bridge": {"桥": 70, "大桥": 25, "立交桥": 5},
    "building": {"大厦": 35, "中心": 20, "广场": 15, "大楼": 15, "楼": 5, "馆": 5, "塔": 2},
    "residential": {"小区": 30, "花园": 20, "苑": 15, "家园": 10, "新村": 10, "公寓": 5, "园": 5, "山庄": 3, "庭": 2},
    "village": {"村": 80, "社区": 20},
}
ORDINALS = "一二三四五六七八九十"
SERIES_HEADS = ("经", "纬")  # 经一路…经十路, 纬一路… (Zhengzhou, Jinan, Hefei's 经开区)
_DIVISION_SUFFIXES = ("街道", "地区", "苏木", "镇", "乡", "区", "县", "市", "旗")
_SCOPE_GROUP = {"building": "residential"}  # they share a scope (conf COMPARE_WITH)


def _strip_generic(name: str) -> str:
    for suffix in _DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def divisions() -> dict[str, list[tuple[str, str, str, tuple[str, ...]]]]:
    """City code → its counties as (code, name, province name, township names)."""
    cities: dict[str, list] = {}
    with gzip.open(_DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            code, name, city, _city_name, province, towns = line.rstrip("\n").split("\t")
            cities.setdefault(city, []).append((code, name, province, tuple(t for t in towns.split("、") if t)))
    return cities


@lru_cache(maxsize=1)
def national_morphemes() -> tuple[str, ...]:
    """Division names of China without their generic, of two or three characters."""
    with open(_NATIVE, encoding="utf-8") as fh:
        names = {line.split("\t")[0].strip() for line in fh if not line.startswith("#")}
    return tuple(sorted(n for n in names if 2 <= len(n) <= 3 and not n.endswith(("团", "场", "连"))))


def city_weight(counties) -> int:
    return sum(URBAN_WEIGHT if t.endswith("街道") else 1 for _c, _n, _p, towns in counties for t in towns) or 1


def city_sizes(size: int, region: str = "china") -> dict[str, int]:
    """Names per city for a corpus of ``size`` (largest remainder, summing to ``size``)."""
    cities = {c: v for c, v in divisions().items() if _in_region(c, region)}
    weights = {c: city_weight(v) for c, v in cities.items()}
    total = sum(weights.values())
    exact = {c: size * w / total for c, w in weights.items()}
    sizes = {c: int(x) for c, x in exact.items()}
    for c in sorted(exact, key=lambda c: (sizes[c] - exact[c], c))[: size - sum(sizes.values())]:
        sizes[c] += 1
    return sizes


def _in_region(city: str, region: str) -> bool:
    if region == "china":
        return True
    if region == "anhui":
        return city.startswith("34")
    if region == "hefei":
        return city == "340100"
    raise ValueError(f"unknown region {region!r}")


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def city_rows(city: str, size: int, seed: int) -> list[tuple[str, str, str]]:
    """The ``size`` (name, category, division) rows of one city, reproducible from
    (seed, city) alone, so that a benchmark can build any city by itself."""
    rng = random.Random(f"{seed}:{city}")
    counties = divisions()[city]
    county_codes = [c for c, _n, _p, _t in counties]
    county_weights = [max(1, len(t)) for _c, _n, _p, t in counties]
    local = sorted(
        {_strip_generic(n) for _c, n, _p, _t in counties} | {_strip_generic(t) for *_x, ts in counties for t in ts}
    )
    local = [m for m in local if 2 <= len(m) <= 3] or list(national_morphemes()[:100])
    pool = national_morphemes()
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()  # (scope group, scope, name)
    roads: list[tuple[str, str, str]] = []  # (name, specific, generic)
    waters: list[str] = []
    heads = list(SERIES_HEADS)

    def county() -> str:
        return rng.choices(county_codes, weights=county_weights)[0]

    def add(name: str, category: str, division: str, legacy: bool = False) -> bool:
        group = _SCOPE_GROUP.get(category, category)
        key = (group, division if category == "village" else "", name)
        if (key in seen and not legacy) or len(rows) >= size:
            return False
        seen.add(key)
        rows.append((name, category, division))
        return True

    def specific() -> str:
        return rng.choice(local) if rng.random() < 0.5 else rng.choice(pool)

    towns = [(c, t) for c, _n, _p, ts in counties for t in ts]
    for code, town in rng.sample(towns, min(len(towns), round(size * TOWN_SHARE))):
        add(town, "town", code)
    categories, weights = list(CATEGORY_MIX), list(CATEGORY_MIX.values())
    misses = 0
    while len(rows) < size and misses < 100 * size + 1000:
        if len(rows) > 10 and rng.random() < EXACT_REPEAT:
            rows.append(rng.choice(rows))
            continue
        category = rng.choices(categories, weights=weights)[0]
        before = len(rows)
        if category == "road":
            _road(rng, specific, add, county, roads, heads)
        elif category == "bridge" and (roads or waters) and rng.random() < 0.7:
            if waters and (not roads or rng.random() < 0.35):
                add(rng.choice(waters) + _pick(rng, {"桥": 3, "大桥": 1}), "bridge", county())
            else:
                name, spec, _generic = rng.choice(roads)
                add(name + "桥" if rng.random() < 0.6 else spec + "大桥", "bridge", county())
        elif category == "residential" and roads and rng.random() < 0.2:
            add(rng.choice(roads)[1] + _pick(rng, REAL_GENERICS["residential"]), "residential", county())
        else:
            name = specific() + _pick(rng, REAL_GENERICS[category])
            if add(name, category, county()) and category == "water":
                waters.append(name)
        misses += len(rows) == before
    return rows


def realistic_corpus(size: int, seed: int = 2026, region: str = "anhui") -> list[tuple[str, str, str]]:
    """(name, category, division) rows of a provincial registry (Anhui's 16 cities by
    default; "hefei" for one city, "china" for all), cities in code order."""
    return [row for city, count in sorted(city_sizes(size, region).items()) for row in city_rows(city, count, seed)]


def national_corpus(size: int = NATIONAL_SIZE, seed: int = 2026) -> Iterator[tuple[str, str, str]]:
    """The national registry's rows over China's 342 cities, a city at a time (never all
    in memory: at 13M rows, about 100k rows a second)."""
    for city, count in sorted(city_sizes(size, "china").items()):
        yield from city_rows(city, count, seed)


def division_rows() -> Iterator[tuple[str, str, str, str]]:
    """(code, name, level, parent) of every province, city and county the national corpus
    places names in, for a benchmark that loads them into a fresh registry."""
    provinces: dict[str, str] = {}
    cities: dict[str, tuple[str, str]] = {}
    with gzip.open(_DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                code, _name, city, city_name, province, _towns = line.rstrip("\n").split("\t")
                provinces.setdefault(code[:2] + "0000", province)
                cities.setdefault(city, (city_name, code[:2] + "0000"))
    for code, name in sorted(provinces.items()):
        yield code, name, "province", ""
    for code, (name, parent) in sorted(cities.items()):
        yield code, name, "city", parent
    for city, counties in sorted(divisions().items()):
        for code, name, _province, _towns in counties:
            yield code, name, "county", city


def _road(rng, specific, add, county, roads, heads) -> None:
    """A road, a direction series, a numbered series, or (legacy) a road name again in
    another county of the same city."""
    roll = rng.random()
    if roads and roll < SCOPE_REPEAT:
        add(rng.choice(roads)[0], "road", county(), legacy=True)  # the legacy conflict is the point
        return
    spec, generic = specific(), _pick(rng, REAL_GENERICS["road"])
    if roll < 0.10:
        for direction in rng.sample("东西南北中", rng.randint(2, 4)):
            if add(spec + direction + generic, "road", county()):
                roads.append((spec + direction + generic, spec, generic))
    elif roll < 0.13 and generic in ("路", "街"):
        if heads and rng.random() < 0.3:
            spec = heads.pop()
        division = county()
        for ordinal in ORDINALS[: rng.randint(2, 10)]:
            if add(spec + ordinal + generic, "road", division):
                roads.append((spec + ordinal + generic, spec, generic))
    elif add(spec + generic, "road", county()):
        roads.append((spec + generic, spec, generic))
