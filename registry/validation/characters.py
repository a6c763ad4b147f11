"""Character rules: NON_HANZI, NON_STANDARD_CHARACTER, RARE_CHARACTER.

The standard set is the 通用规范汉字表 (8,105 characters, State Council 2013), shipped as
``data/common_chars.tsv``. Traditional and variant forms are found with OpenCC's
traditional-to-simplified table: a character OpenCC would change, and that is not
itself in the standard table, is non-standard (乾 stays: it is standard for qián).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

import opencc

from registry.validation.findings import Finding, finding

DATA_DIR = Path(__file__).resolve().parent / "data"
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


@cache
def common_characters() -> frozenset[str]:
    with open(DATA_DIR / "common_chars.tsv", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return frozenset(row["char"] for row in csv.DictReader(lines, delimiter="\t"))


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def is_hanzi(char: str) -> bool:
    return bool(_HANZI.match(char))


def _show(chars) -> str:
    shown = []
    for char in dict.fromkeys(chars):
        if char.isspace() or unicodedata.category(char)[0] in "CZ":
            shown.append(f"U+{ord(char):04X}")
        else:
            shown.append(f"“{char}”")
    return "、".join(shown[:12]) + ("…" if len(shown) > 12 else "")


def character_findings(name: str) -> list[Finding]:
    findings: list[Finding] = []
    foreign = [c for c in name if not is_hanzi(c)]
    if foreign:
        findings.append(finding("NON_HANZI", chars=_show(foreign)))
    common = common_characters()
    hanzi = [c for c in dict.fromkeys(name) if is_hanzi(c)]
    convert = _converter().convert
    non_standard = {c: convert(c) for c in hanzi if c not in common and convert(c) != c}
    if non_standard:
        findings.append(
            finding(
                "NON_STANDARD_CHARACTER",
                chars=_show(non_standard),
                standard=_show(non_standard.values()),
            )
        )
    rare = [c for c in hanzi if c not in common and c not in non_standard]
    if rare:
        findings.append(finding("RARE_CHARACTER", chars=_show(rare)))
    return findings
