"""A check sees every change at once: after a rename, a bulk write and a word-list edit,
in this process and in others (each process keeps its own index)."""

import pytest
from django.db import transaction

from registry.models import Division, Place, WordListEntry
from registry.freshness import lock, snapshot
from registry.services.places import place_create, place_rename
from registry.validation import check_name
from registry.validation.similarity import SimilarityIndex, get_index


def rules(name, category="road", **kwargs):
    return {f.rule for f in check_name(name, category, **kwargs).findings}


def test_a_check_right_after_a_rename_sees_it(make_place):
    place = make_place("翡翠路")
    assert "DUPLICATE" in rules("翡翠路")
    place_rename(place=place, new_name="翡翠湖路", effective="2024")
    assert "DUPLICATE" not in rules("翡翠路")
    assert "DUPLICATE" in rules("翡翠湖路")
    assert "SIMILAR" in rules("翡翠潮路")


def test_a_check_right_after_a_bulk_write_sees_it(shushan):
    # What the importer does: rows written in bulk, stamped with the transaction's revision.
    revision = lock()
    Place.objects.bulk_create(
        [
            Place(
                code=f"340104R9{i:04d}",
                name=name,
                name_key=name,
                pinyin_key=key,
                category="road",
                division=shushan,
                revision=revision,
            )
            for i, (name, key) in enumerate(
                [("玉兰大道", "yulandadao"), ("紫云路", "ziyunlu"), ("翡翠湖路", "feicuihulu")]
            )
        ]
    )
    assert "DUPLICATE" in rules("玉兰大道")
    assert "HOMOPHONE" in rules("子云路")
    # A typo of a bulk-written name is found through the similarity index (not only by key).
    assert "SIMILAR" in rules("翡翠潮路")


def test_a_word_list_edit_takes_effect_on_the_next_check(db):
    assert "FOREIGN" not in rules("梧桐雅苑", "residential")
    entry = WordListEntry.objects.create(word_list="foreign", term="梧桐", kind="word", note="test entry")
    assert "FOREIGN" in rules("梧桐雅苑", "residential")
    entry.active = False
    entry.save()
    assert "FOREIGN" not in rules("梧桐雅苑", "residential")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_process_index_catches_up_from_the_revisions():
    """Two indexes stand for two worker processes; each applies what it has not seen."""
    shushan = Division.objects.get(code="340104")
    other_process = SimilarityIndex()
    other_process.refresh(snapshot().places)
    assert other_process.candidates("翡翠潮路", ("road",), cutoff=70) == []
    place_create(name="翡翠湖路", category="road", division=shushan)  # committed in this "process"
    other_process.refresh(snapshot().places)
    (candidate,) = other_process.candidates("翡翠潮路", ("road",), cutoff=70)
    assert candidate.name == "翡翠湖路"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_write_never_reaches_the_shared_index():
    shushan = Division.objects.get(code="340104")
    with pytest.raises(RuntimeError), transaction.atomic():
        place_create(name="翡翠湖路", category="road", division=shushan)
        assert "SIMILAR" in rules("翡翠潮路")  # seen inside its own transaction, as pending
        raise RuntimeError
    index, pending = get_index(snapshot().places)
    assert pending == [] and index.candidates("翡翠潮路", ("road",), cutoff=70) == []
    place_create(name="翡翠湖路", category="road", division=shushan)
    assert "SIMILAR" in rules("翡翠潮路")
