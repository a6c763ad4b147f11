"""Deterministic synthetic place-name corpora for the benchmarks.

Names are a 2–4-character specific built from real Anhui/Hefei morphemes and common
place-name characters, an optional direction, and a generic of the category; about a
fifth of the names repeat, as real registries do. Queries are perturbed corpus names
(one-character substitution, homophone substitution, insertion, deletion, exact
duplicate) and fresh names, so that every path of the check is exercised.
"""

from __future__ import annotations

import random

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
