"""Chinese column headers and value labels for tables people read, and the way back to codes.

Two kinds of table leave the registry: the machine-readable one (headers and values are
the import codes: ``code``, ``category`` = ``road``), and the one a clerk opens in Excel
(编码, 类别 = 道路街巷 …). Both import: ``in_codes`` turns a table with Chinese headers
back into codes before the rows are checked, so a clerk can correct the Chinese export
and import it again.

The column codes themselves live here too (what a places or a listings table may have,
what it must have): the importers, the export and the admin's import page read them from
this one module.

The headers are fixed here rather than translated: they are a file format, and a file
exported today must import tomorrow whatever the user's language or a later change of
wording. The value labels are the choices' Chinese labels (the ones the admin shows);
the importer accepts the label or the code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.utils import translation

from registry.choices import Category, HeritageLevel, HeritageScheme, HeritageStatus, PlaceStatus, Verification
from registry.details import DETAIL_FIELDS
from registry.models import HeritageListing

# The columns of a places table, in the export's order; names and heritage only in JSON.
BASE_COLUMNS = (
    "code",
    "name",
    "category",
    "division",
    "status",
    "pinyin",
    "generic",
    "origin",
    "history",
    "longitude",
    "latitude",
    "former_names",
)
EXTRA_COLUMNS = (
    "verification",
    "source",
    "note",
    "geometry",
    "names",
    "heritage",
    "specific",
    "approval_authority",
    "approval_date",
    "approval_document",
    "announcement_date",
)
# Category details (registry.details), by key: one column serves every category that has it.
DETAIL_COLUMNS = tuple(sorted({f.key for fields in DETAIL_FIELDS.values() for f in fields}))
KNOWN_COLUMNS = frozenset(BASE_COLUMNS + EXTRA_COLUMNS + DETAIL_COLUMNS)
REQUIRED_COLUMNS = ("name", "category", "division")
# The CSV and XLSX export of places: the import columns a table carries (no JSON-only
# names or heritage, no geometry); the Chinese one has the division's name after its code.
TABLE_COLUMNS = (
    BASE_COLUMNS
    + DETAIL_COLUMNS
    + (
        "verification",
        "source",
        "note",
        "approval_authority",
        "approval_date",
        "approval_document",
        "announcement_date",
    )
)
CHINESE_TABLE_COLUMNS = TABLE_COLUMNS[:4] + ("division_name",) + TABLE_COLUMNS[4:]

# The columns of a listings table: the listed place's code, then the listing's fields in
# the model's order, then what the export writes for people reading the file (derived,
# so not imported).
LISTING_COLUMNS = tuple(
    f.name for f in HeritageListing._meta.concrete_fields if f.name not in ("id", "place", "created_at", "updated_at")
)
INFORMATIVE_COLUMNS = ("place_name", "division", "years_in_use")
HERITAGE_COLUMNS = ("place",) + LISTING_COLUMNS + INFORMATIVE_COLUMNS
REQUIRED_HERITAGE_COLUMNS = ("place", "scheme", "level")

PLACE_HEADERS: dict[str, str] = {
    "code": "编码",
    "name": "名称",
    "category": "类别",
    "division": "行政区划代码",
    "status": "状态",
    "pinyin": "拼音",
    "generic": "通名",
    "origin": "含义由来",
    "history": "历史沿革",
    "longitude": "经度",
    "latitude": "纬度",
    "former_names": "曾用名（名称|起|止）",
    "verification": "核实情况",
    "source": "来源",
    "note": "备注",
    "approval_authority": "批准机关",
    "approval_date": "批准日期",
    "approval_document": "批准文号",
    "announcement_date": "公告日期",
    "specific": "专名",
    "geometry": "几何（GeoJSON）",
    # Category details (registry.details), by key: one column serves every category that has it.
    "area_km2": "面积（平方千米）",
    "built_year": "建成年份",
    "carries": "承载",
    "crosses": "跨越",
    "end": "终点",
    "floor_area_m2": "建筑面积（平方米）",
    "floors": "层数",
    "flows_into": "汇入",
    "height_m": "高度（米）",
    "households": "户数",
    "land_area_m2": "占地面积（平方米）",
    "lanes": "车道数",
    "length_km": "长度（千米）",
    "length_m": "长度（米）",
    "opened_year": "启用年份",
    "population": "人口",
    "seat": "驻地",
    "span_m": "主跨（米）",
    "start": "起点",
    "use": "用途",
    "water_type": "水体类型",
    "width_m": "红线宽度（米）",
}
# Written next to the division code for people; derived, so skipped on import.
DIVISION_NAME = "行政区划"

HERITAGE_HEADERS: dict[str, str] = {
    "place": "地名编码",
    "scheme": "名录类别",
    "level": "级别",
    "status": "状态",
    "batch": "批次",
    "notice_start": "公示开始",
    "notice_end": "公示结束",
    "listed_on": "认定日期",
    "authority": "认定机关",
    "document_number": "文号",
    "first_recorded_name": "最早记载名称",
    "first_recorded_source": "最早记载出处",
    "in_use_since": "名称始用年份（公元前为负）",
    "evidence": "佐证材料",
    "preserved_features": "遗存风貌",
    "protection_measures": "保护措施",
    "description": "文化内涵",
    "verification": "核实情况",
    "source": "来源",
    "place_name": "地名",
    "division": "行政区划代码",
    "years_in_use": "使用年数",
}
# Other spellings a clerk may type for a header.
ALIASES = {"曾用名": "former_names", "代码": "code", "地名": "name", "行政区划": None, "始用年份": "in_use_since"}

PLACE_VALUES = {"category": Category, "status": PlaceStatus, "verification": Verification}
HERITAGE_VALUES = {
    "scheme": HeritageScheme,
    "level": HeritageLevel,
    "status": HeritageStatus,
    "verification": Verification,
}
# Numbers in the export: written as numbers to XLSX (never as text, never escaped).
NUMERIC_COLUMNS = frozenset(
    {
        "longitude",
        "latitude",
        "area_km2",
        "built_year",
        "floor_area_m2",
        "floors",
        "height_m",
        "households",
        "land_area_m2",
        "lanes",
        "length_km",
        "length_m",
        "opened_year",
        "population",
        "span_m",
        "width_m",
        "in_use_since",
        "years_in_use",
    }
)


def text_value(value) -> str:
    """A cell as text: None is empty, 3.0 (as XLSX gives whole numbers) is "3", spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# What a spreadsheet takes for a formula (OWASP "CSV injection"); the export prefixes such
# text with a quote (``export.safe_cell``), which the importer takes off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unescape_cell(text: str) -> str:
    """A text cell as the export had it before escaping: "'=…" is "=…" (other text as it is)."""
    if len(text) > 1 and text[0] == "'" and text.startswith(FORMULA_STARTS, 1):
        return text[1:]
    return text


def label_of(enum, code: str) -> str:
    """The Chinese label of a choice (the code itself if it is not one)."""
    with translation.override("zh-hans"):
        try:
            return str(enum(code).label)
        except ValueError:
            return code


def codes_by_label(enum) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(choice.label): choice.value for choice in enum}


def in_codes(
    columns: list[str], rows: Iterator[tuple[int, dict]], headers: Mapping[str, str], values: Mapping[str, type]
) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The columns and rows of a table with Chinese headers, in codes (a table in codes as it is).

    Chinese headers are renamed to their codes (the division's name column is dropped);
    choice labels (道路街巷, 现行 …) become their codes. A value that is neither stays as
    given, so the row check names it.
    """
    by_header = {label: code for code, label in headers.items()}
    for alias, code in ALIASES.items():
        if alias not in by_header and (code is None or code in headers):
            by_header[alias] = code
    if not any(c in by_header for c in columns):
        return columns, rows
    renamed = {c: by_header.get(c, c) for c in columns}
    dropped = {c for c, code in renamed.items() if code is None}
    columns = [renamed[c] for c in columns if c not in dropped]
    maps = {column: codes_by_label(enum) for column, enum in values.items()}

    def converted():
        for line, raw in rows:
            if "__invalid__" in raw:
                yield line, raw
                continue
            row = {renamed.get(k, k): v for k, v in raw.items() if k not in dropped}
            for column, codes in maps.items():
                value = row.get(column)
                if isinstance(value, str) and value.strip() in codes:
                    row[column] = codes[value.strip()]
            yield line, row

    return columns, converted()
