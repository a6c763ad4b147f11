"""The shipped allow-list reasons and the 大, 怪, vulgar and commercial notes are Chinese; older registries catch up.

Before, every seeded reason and note was English (registry/validation/data/*.tsv), and
the admin showed them to Chinese staff as they were. The files now carry the Chinese
text, with the former English kept beside it (``reason_en``/``note_en``) so that
``manage.py translate_seed_notes`` can replace exactly the text that was shipped.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from registry.management.commands.translate_seed_notes import DATA, rows
from registry.models import AllowListEntry, WordListEntry

CJK = re.compile(r"[\u3400-\u9fff]")
# Text other than Chinese that a note may keep: citations and codes as they are written.
KEPT = re.compile(r"DOMAIN\.md|allowlist\.tsv|foreign\.tsv|feudal\.tsv|tftnews|§[\d.]+|\d+")


@pytest.mark.parametrize(
    "filename,column",
    [
        ("allowlist.tsv", "reason"),
        ("exaggerated.tsv", "note"),
        ("feudal.tsv", "note"),
        ("vulgar.tsv", "note"),
        ("commercial.tsv", "note"),
    ],
)
def test_the_shipped_text_is_chinese_and_keeps_the_english_it_replaces(filename, column):
    for row in rows(DATA / filename):
        text = row[column]
        assert CJK.search(text) and not re.search(r"[A-Za-z]{3,}", KEPT.sub("", text)), (row["term"], text)
        assert row[f"{column}_en"] and row[f"{column}_en"] != text, row["term"]


@pytest.mark.django_db
def test_the_migration_seeds_the_chinese_text():
    assert AllowListEntry.objects.get(term="延乔路").reason == "纪念陈延年、陈乔年的道路（经开区）"
    assert WordListEntry.objects.get(word_list="exaggerated", term="奥运").note.startswith("推定属于成都")


@pytest.mark.django_db
def test_the_command_translates_only_the_shipped_english_and_runs_again_as_a_no_op():
    english = {row["term"]: row["reason_en"] for row in rows(DATA / "allowlist.tsv")}
    AllowListEntry.objects.filter(term="延乔路").update(reason=english["延乔路"])  # as seeded before
    AllowListEntry.objects.filter(term="炳炎路").update(reason="经核实，已由局里改写")  # edited by the bureau
    WordListEntry.objects.filter(word_list="exaggerated", term="宇宙").update(
        note="national criteria (民发〔2018〕146号 annex), 大; e.g. 宇宙城 (Zhengzhou list)"
    )
    out = StringIO()
    call_command("translate_seed_notes", stdout=out)
    assert out.getvalue().startswith("2 ")
    assert AllowListEntry.objects.get(term="延乔路").reason == "纪念陈延年、陈乔年的道路（经开区）"
    assert AllowListEntry.objects.get(term="炳炎路").reason == "经核实，已由局里改写"
    assert WordListEntry.objects.get(word_list="exaggerated", term="宇宙").note.startswith("国家标准")
    latest = AllowListEntry.history.filter(term="延乔路").order_by("-history_id").first()
    assert latest.history_change_reason == "seed text: Chinese"
    out = StringIO()
    call_command("translate_seed_notes", stdout=out)
    assert out.getvalue().startswith("0 ")
