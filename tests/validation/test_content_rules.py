"""Morphemes judged anywhere inside the proper name, and the word classes of 0029_content_rules (issue 16).

The names are made up for the rules (none is in the generalization benchmark's lists); the
innocent ones are real Chinese place names (native_train.tsv) or ordinary words.
"""

import pytest

from registry.validation import check_name


def keyed(name, category):
    return {(f.rule, f.message_key, f.severity) for f in check_name(name, category).findings}


@pytest.mark.parametrize(
    "name, category, rule, key, severity",
    [
        # 欧 (欧洲's abbreviation) anywhere in the proper name: a warning, it is one character.
        ("欧风花园", "residential", "FOREIGN", "FOREIGN_MORPHEME", "warning"),
        ("金桂欧韵苑", "residential", "FOREIGN", "FOREIGN_MORPHEME", "warning"),
        ("欧尚大厦", "building", "FOREIGN", "FOREIGN_MORPHEME", "warning"),
        # 宫, 殿 and 皇 inside a longer proper name: 怪.
        ("紫宫华庭", "residential", "FEUDAL", "FEUDAL_MORPHEME", "warning"),
        ("祥殿华庭", "residential", "FEUDAL", "FEUDAL_MORPHEME", "warning"),
        ("皇嘉大厦", "building", "FEUDAL", "FEUDAL_MORPHEME", "warning"),
        # Words of 洋 style and of residence: the whole word is reported with the list's message.
        ("英伦花园", "residential", "FOREIGN", "FOREIGN", "error"),
        ("法式风情园", "residential", "FOREIGN", "FOREIGN", "error"),
        ("翠湖宅第", "residential", "FEUDAL", "FEUDAL", "warning"),
        ("锦绣王朝小区", "residential", "FEUDAL", "FEUDAL", "warning"),
        # Word classes: political, military, religious.
        ("元首花园", "residential", "EXAGGERATED", "EXAGGERATED_POLITICAL", "warning"),
        ("航母大厦", "building", "EXAGGERATED", "EXAGGERATED_MILITARY", "warning"),
        ("佛光小区", "residential", "EXAGGERATED", "EXAGGERATED_RELIGIOUS", "warning"),
        ("天使花园", "residential", "EXAGGERATED", "EXAGGERATED_RELIGIOUS", "warning"),
        # 小镇 (广东's criteria: a word of exclusive meaning).
        ("枫林小镇花园", "residential", "EXAGGERATED", "EXAGGERATED", "warning"),
        # An ambiguous developer brand heading a residential name before the estate's own name.
        ("时代锦绣花园", "residential", "COMMERCIAL", "COMMERCIAL_DEVELOPER", "warning"),
    ],
)
def test_a_mark_inside_the_proper_name_is_reported(db, name, category, rule, key, severity):
    assert (rule, key, severity) in keyed(name, category)


@pytest.mark.parametrize(
    "name, category",
    [
        ("亚欧东路", "road"),  # a real street name: 欧 inside a native place name
        ("欧家花园", "residential"),  # 欧家, a real village name
        ("欧阳花园", "residential"),  # the surname 欧阳
        ("九宫山路", "road"),  # 九宫山, a real mountain and township
        ("三官殿路", "road"),  # 三官殿, a real street office
        ("合肥市工人文化宫", "building"),  # 文化宫: an ordinary word
        ("罗汉寺", "building"),  # a religious word on a temple names what it is
        ("红军路", "road"),  # a real road name: the specific is a real place's name
        ("真武山", "water"),
        ("罗汉洞", "water"),
        ("锦绣时代花园", "residential"),  # 时代 as an ordinary word, not heading the name
    ],
)
def test_a_real_place_name_or_ordinary_word_passes(db, name, category):
    rules = {f.rule for f in check_name(name, category).findings}
    assert not rules & {"FOREIGN", "FEUDAL", "EXAGGERATED", "COMMERCIAL"}, check_name(name, category).findings


def test_the_morpheme_messages_say_what_to_do_in_chinese_and_english(db):
    from django.utils import translation

    for name, category in (("欧风花园", "residential"), ("紫宫华庭", "residential")):
        with translation.override("zh-hans"):
            chinese = check_name(name, category).findings[-1].message
        with translation.override("en"):
            english = check_name(name, category).findings[-1].message
        assert "请改用" in chinese and "instead" in english


def test_the_content_rules_are_word_list_entries_editable_in_the_admin(db):
    """Seeded into the word lists by 0029_content_rules: an entry switched off there stops its finding."""
    from registry.models import WordListEntry
    from registry.services.lexicon import word_list_entry_save

    entry = WordListEntry.objects.get(word_list="feudal", term="宫")
    assert entry.kind == "char" and entry.ambiguous and entry.note and entry.source
    assert "FEUDAL" in check_name("紫宫华庭", "residential").rules()
    entry.active = False
    word_list_entry_save(entry=entry)
    assert "FEUDAL" not in check_name("紫宫华庭", "residential").rules()
