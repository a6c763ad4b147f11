"""Generic-term rules: BARE_GENERIC, MISSING_GENERIC, STACKED_GENERIC, GENERIC_MISMATCH,
GENERIC_SCALE, and TOO_LONG.

The generic (通名) must fit the feature's real type and scale (条例 Art. 9(2)); a bare
generic is not a name, and two generics are not stacked (…大厦广场, …花园小区). Scale is
judged only where the record carries the attribute (road width, floors, land area).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from registry.choices import Category
from registry.generics import ALL_GENERICS, GENERICS, IMPROPER_GENERICS, generic_category, split_generic
from registry.validation.conf import conf
from registry.validation.findings import Finding, finding

# A derived name legitimately ends in another generic before its own (金寨路高架).
_DERIVED = frozenset({"高架", "高架桥", "立交桥", "立交", "桥", "大桥", "隧道", "街道"})
_IMPROPER_LABEL = _("a natural feature or an improper generic")


_CATEGORIES = frozenset(Category.values)


def _category_label(category: str):
    return Category(category).label if category in _CATEGORIES else category


def generic_findings(name: str, category: str, details: dict | None) -> list[Finding]:
    findings: list[Finding] = []
    specific, generic = split_generic(name, category)
    if not generic:
        improper = next((g for g in IMPROPER_GENERICS if name.endswith(g) and len(name) > len(g)), "")
        if improper:
            findings.append(
                finding("GENERIC_MISMATCH", generic=improper, other=_IMPROPER_LABEL, category=_category_label(category))
            )
        else:
            findings.append(
                finding(
                    "MISSING_GENERIC", category=_category_label(category), expected="、".join(GENERICS[category][:8])
                )
            )
        return findings
    if not specific:
        findings.append(finding("BARE_GENERIC", name=name))
        return findings
    if generic not in GENERICS[category]:
        other = generic_category(generic)
        findings.append(
            finding(
                "GENERIC_MISMATCH",
                generic=generic,
                other=_category_label(other) if other else _IMPROPER_LABEL,
                category=_category_label(category),
            )
        )
        return findings
    if generic not in _DERIVED:
        rest, inner = split_generic(specific, category)
        if inner and inner in GENERICS[category] and len(rest) >= 2:
            findings.append(finding("STACKED_GENERIC", first=inner, second=generic))
    findings.extend(_scale_findings(category, generic, details or {}))
    return findings


# Where a record's size can overstate its generic: the category, the ``SCALE`` table of
# minimum sizes by generic, the detail compared with it, and how the overstatement reads.
_SCALE_LIMITS = (
    (
        Category.ROAD,
        "road_min_width_m",
        "width_m",
        float,
        _("the road is %(value)s m wide, under the %(min)s m a %(generic)s needs"),
    ),
    (
        Category.BUILDING,
        "building_min_floors",
        "floors",
        int,
        _("%(value)s floors, under the %(min)s a %(generic)s needs"),
    ),
    (
        Category.BUILDING,
        "building_min_land_area_m2",
        "land_area_m2",
        float,
        _("a land area of %(value)s m², under the %(min)s m² a %(generic)s needs"),
    ),
    (
        Category.RESIDENTIAL,
        "residential_min_land_area_m2",
        "land_area_m2",
        float,
        _("a land area of %(value)s m², under the %(min)s m² a %(generic)s needs"),
    ),
)


def _scale_findings(category: str, generic: str, details: dict) -> list[Finding]:
    scale = conf("SCALE")
    checks = []
    for limit_category, table, detail, number, message in _SCALE_LIMITS:
        if category != limit_category or generic not in scale[table] or detail not in details:
            continue
        minimum = scale[table][generic]
        if number(details[detail]) < minimum:
            checks.append(message % {"value": details[detail], "min": minimum, "generic": generic})
    found = [finding("GENERIC_SCALE", generic=generic, reason=reason) for reason in checks]
    return found or _scale_questions(category, generic, details)


# Generics that promise a size, the detail that would tell, and the size they promise.
# 大桥: a bridge of 100 m or more (JTG B01 公路工程技术标准: 大桥 100–1000 m); the building
# sizes are the defaults of ``SCALE`` (广场/中心/城: 1 万/1.5 万/15 万 m² of land; 大厦: 10 floors).
_SCALE_QUESTIONS = {
    (Category.BRIDGE, "大桥"): ("length_m", _("a 大桥 is at least 100 m long")),
    (Category.BUILDING, "大厦"): ("floors", _("a 大厦 is a high-rise of ten floors or more")),
    (Category.BUILDING, "广场"): ("land_area_m2", _("a 广场 covers at least 10,000 m² with open space")),
    (Category.BUILDING, "中心"): ("land_area_m2", _("a 中心 covers at least 15,000 m²")),
    # 城 for one building (the national criteria: a single building called 广场/城/中心; ``SCALE``: 15 ha).
    (Category.BUILDING, "城"): ("land_area_m2", _("a 城 covers at least 150,000 m², a town's worth of blocks")),
}


def _scale_questions(category: str, generic: str, details: dict) -> list[Finding]:
    """A question for the clerk where the generic promises a size the record cannot confirm.

    The clean-up lists renamed 东风大桥 in a small town and …广场 on one plot: the name alone
    overstates. Without the detail that tells, the check cannot decide; it asks.
    """
    question = _SCALE_QUESTIONS.get((category, generic))
    if question is None:
        return []
    detail, need = question
    if detail == "length_m" and "length_m" in details:
        if float(details["length_m"]) >= 100:
            return []
        return [
            finding(
                "GENERIC_SCALE",
                generic=generic,
                reason=_("the bridge is %(value)s m long, under the 100 m a 大桥 needs")
                % {"value": details["length_m"]},
            )
        ]
    if detail in details:
        return []
    return [finding("GENERIC_SCALE", "GENERIC_SCALE_UNKNOWN", generic=generic, need=need)]


def length_findings(name: str, category: str) -> list[Finding]:
    maximum = conf("MAX_LENGTH").get(category)
    if maximum and len(name) > maximum:
        return [finding("TOO_LONG", length=len(name), max=maximum, category=_category_label(category))]
    return []


__all__ = ["generic_findings", "length_findings", "ALL_GENERICS"]
