"""The shipped allow-list reasons and every word list's notes are Chinese; older registries catch up.

Before, every seeded reason and note was English (registry/validation/data/*.tsv), and
the admin showed them to Chinese staff as they were. The files now carry the Chinese
text, with the former English kept beside it (``reason_en``/``note_en``) so that
``manage.py translate_seed_notes`` (and, for the 洋 and person lists, migration 0032) can
replace exactly the text that was shipped.
"""

from __future__ import annotations

import re
from importlib import import_module
from io import StringIO

from django.apps import apps

import pytest
from django.core.management import call_command

from registry.management.commands.translate_seed_notes import DATA, rows
from registry.models import AllowListEntry, Revision, WordListEntry

CJK = re.compile(r"[\u3400-\u9fff]")
# Text other than Chinese that a note may keep: citations and codes as they are written.
KEPT = re.compile(r"DOMAIN\.md|\w+\.tsv|tftnews|§[\d.]+|\d+")
# A 洋 note names the foreign original as it is written (外文原名：Marriott); a person note keeps a
# romanized name or an uncertain English term in parentheses after the Chinese (孔子（Confucius）).
ORIGINAL = re.compile(r"^外文原[名词]：[^；]*")
PARENTHESES = re.compile(r"（[^（）]*）")


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


@pytest.mark.parametrize("filename", ["foreign.tsv", "persons.tsv"])
def test_every_foreign_and_person_note_is_chinese_and_keeps_the_english_it_replaces(filename):
    """Before, the 洋 notes were the bare foreign originals ("Marriott") and the person notes English roles."""
    for row in rows(DATA / filename):
        text = row["note"]
        assert CJK.search(text), (row["term"], text)
        rest = KEPT.sub("", PARENTHESES.sub("", ORIGINAL.sub("", text)))
        assert not re.search(r"[A-Za-z]{3,}", rest), (row["term"], text)
        assert row["note_en"] and row["note_en"] != text, row["term"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "word_list,term,note",
    [
        ("foreign", "万豪", "外文原名：Marriott"),
        ("foreign", "三藩市", "外文原名：San Francisco（粤语式译名）"),
        ("foreign", "罗曼蒂克", "外文原词：romantic"),
        ("person", "张高丽", "政治局常委、国务院副总理"),
        ("person", "栗战书", "全国人大常委会委员长"),
        ("person", "乾隆", "乾隆皇帝（Qianlong Emperor）"),
        ("person", "郭靖", "金庸小说人物"),
    ],
)
def test_a_new_registry_is_seeded_with_the_chinese_notes(word_list, term, note):
    assert WordListEntry.objects.get(word_list=word_list, term=term).note == note


def _as_seeded_before():
    """三藩市 and 乾隆 hold the English that 0004 seeded; the bureau rewrote 张高丽's note."""
    english = {(row["term"]): row["note_en"] for name in ("foreign.tsv", "persons.tsv") for row in rows(DATA / name)}
    WordListEntry.objects.filter(word_list="foreign", term="三藩市").update(note=english["三藩市"])
    WordListEntry.objects.filter(word_list="person", term="乾隆").update(note=english["乾隆"])
    WordListEntry.objects.filter(word_list="person", term="张高丽").update(note="局里改写的说明")


def _assert_translated_and_edit_kept():
    assert WordListEntry.objects.get(word_list="foreign", term="三藩市").note == "外文原名：San Francisco（粤语式译名）"
    assert WordListEntry.objects.get(word_list="person", term="乾隆").note == "乾隆皇帝（Qianlong Emperor）"
    assert WordListEntry.objects.get(word_list="person", term="张高丽").note == "局里改写的说明"
    latest = WordListEntry.history.filter(word_list="person", term="乾隆").order_by("-history_id").first()
    assert (latest.history_type, latest.history_change_reason) == ("~", "seed text: Chinese")
    assert latest.note == "乾隆皇帝（Qianlong Emperor）"


@pytest.mark.django_db
def test_the_command_translates_the_foreign_and_person_notes_only_where_still_english():
    _as_seeded_before()
    out = StringIO()
    call_command("translate_seed_notes", stdout=out)
    assert out.getvalue().startswith("2 ")
    _assert_translated_and_edit_kept()
    out = StringIO()
    call_command("translate_seed_notes", stdout=out)
    assert out.getvalue().startswith("0 ")


@pytest.mark.django_db
def test_migration_0032_translates_the_existing_rows_only_where_still_english():
    migration = import_module("registry.migrations.0032_person_notes_chinese")
    _as_seeded_before()
    Revision.objects.get_or_create(name="lexicon")
    before = Revision.objects.get(name="lexicon").value
    migration.translate(apps, None)
    _assert_translated_and_edit_kept()
    assert Revision.objects.get(name="lexicon").value > before
    audited = WordListEntry.history.filter(history_change_reason="seed text: Chinese").count()
    assert audited == 2
    migration.translate(apps, None)  # nothing left to translate: no further change, no further entry
    assert WordListEntry.history.filter(history_change_reason="seed text: Chinese").count() == audited
