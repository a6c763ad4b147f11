"""The write path for places and names: codes, names history, refusals."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from registry.exceptions import DeletionRefused
from registry.models import CodeCounter, Division, HeritageListing, Place, PlaceName
from registry.services.codes import allocate_code, allocate_code_batches
from registry.services.places import name_record, place_create, place_rename, place_retire, place_update


def messages_of(exc_info) -> str:
    return " ".join(exc_info.value.messages)


class TestCodes:
    def test_a_code_is_assigned_from_county_category_and_serial(self, make_place):
        place = make_place("习友路")
        assert place.code == "340104R00001"
        assert make_place("潜山路").code == "340104R00002"

    def test_a_place_in_a_township_takes_its_county_prefix(self, db):
        zhegao = Division.objects.get(code="340181102000")
        place = place_create(name="柘皋河", category="water", division=zhegao)
        assert place.code.startswith("340181W")

    def test_a_given_code_is_kept(self, make_place):
        assert make_place("宿州路", code="340103r00777").code == "340103R00777"

    @pytest.mark.parametrize("code", ["ab", "340104 R1", "三四零", "X" * 40, "-340104"])
    def test_a_code_of_the_wrong_shape_is_refused(self, make_place, code):
        with pytest.raises(ValidationError) as exc:
            make_place("宿州路", code=code)
        assert "not a valid place code" in messages_of(exc)
        assert not Place.objects.exists()

    def test_a_taken_code_is_refused(self, make_place):
        make_place("宿州路", code="340103R00001")
        with pytest.raises(ValidationError) as exc:
            make_place("阜阳路", code="340103R00001")
        assert "already taken" in messages_of(exc)

    def test_the_allocator_skips_codes_an_import_brought(self, make_place, shushan):
        make_place("黄山路", code="340104R00001")
        assert make_place("潜山路").code == "340104R00002"

    def test_codes_are_never_reused_after_retirement(self, make_place, shushan):
        first = make_place("黄山路")
        place_retire(place=first, effective="2020")
        second = make_place("黄山路")
        assert second.code != first.code
        assert CodeCounter.objects.get(prefix="340104R").last == 2

    def test_batches_for_many_prefixes_skip_taken_codes_and_advance_each_counter(self, make_place):
        make_place("宿州路", code="340103R00002")  # given by hand, ahead of the counter
        make_place("习友路")  # 340104R00001 from the counter
        allocated = allocate_code_batches({"340103R": 3, "340104R": 2, "340111W": 1, "340102R": 0})
        assert allocated == {
            "340103R": ["340103R00001", "340103R00003", "340103R00004"],
            "340104R": ["340104R00002", "340104R00003"],
            "340111W": ["340111W00001"],
        }
        assert {c.prefix: c.last for c in CodeCounter.objects.all()} == {"340103R": 4, "340104R": 3, "340111W": 1}
        assert allocate_code_batches({"340103R": 1}) == {"340103R": ["340103R00005"]}

    def test_batches_past_the_fifth_digit_skip_taken_codes(self, make_place):
        """Past 99999 a serial has six digits: 340103R100000 sorts before 340103R99999 as
        text, and a taken code among them is still skipped."""
        CodeCounter.objects.create(prefix="340103R", last=99_997)
        Place.objects.filter(pk=make_place("宿州路").pk).update(code="340103R100000")
        Place.objects.filter(pk=make_place("阜阳路").pk).update(code="340103R99999")
        assert allocate_code_batches({"340103R": 3}) == {"340103R": ["340103R99998", "340103R100001", "340103R100002"]}


class TestNamesHistory:
    def test_creating_a_place_opens_its_official_name(self, make_place):
        place = make_place("金寨路", named_on="1955")
        (official,) = place.names.all()
        assert (official.kind, official.valid_from, official.valid_to) == ("official", "1955", "")
        assert place.pinyin == "Jinzhai Lu" and place.pinyin_key == "jinzhailu" and place.initials == "jzl"
        assert (place.specific, place.generic) == ("金寨", "路")

    def test_renaming_closes_the_old_name_and_opens_the_new(self, make_place):
        place = make_place("左圣宫巷", named_on="1900")
        place_rename(place=place, new_name="庐江路", effective="1956-05-01", decision_document="合政〔1956〕1号")
        place.refresh_from_db()
        old, new = place.names.order_by("valid_from_key")
        assert (old.name, old.kind, old.valid_to) == ("左圣宫巷", "former", "1956-04-30")
        assert (new.name, new.kind, new.valid_from, new.valid_to) == ("庐江路", "official", "1956-05-01", "")
        assert new.decision_document == "合政〔1956〕1号"
        assert place.name == "庐江路" and place.pinyin == "Lujiang Lu"

    def test_a_rename_by_year_closes_in_that_year(self, make_place):
        place = make_place("左圣宫巷")
        place_rename(place=place, new_name="庐江路", effective="1956")
        assert place.names.get(name="左圣宫巷").valid_to == "1956"

    def test_the_database_allows_one_current_official_name(self, make_place):
        place = make_place("金寨路")
        with pytest.raises(IntegrityError), transaction.atomic():
            PlaceName.objects.create(place=place, name="金寨大道", kind="official")

    def test_a_closed_official_name_may_sit_beside_the_current_one(self, make_place):
        place = make_place("金寨路")
        name_record(place=place, name="金寨大道", kind="official", valid_from="1950", valid_to="1954")
        assert place.names.count() == 2

    def test_the_current_official_name_is_not_recorded_by_hand(self, make_place):
        place = make_place("金寨路")
        with pytest.raises(ValidationError) as exc:
            name_record(place=place, name="金寨大道", kind="official")
        assert "renaming" in messages_of(exc)

    @pytest.mark.parametrize(
        "valid_from,valid_to,fragment",
        [
            ("1990", "1980", "cannot end (1980) before it begins (1990)"),
            ("1956-02-30", "", "not a real date"),
            ("", "1956-13-01", "month 13"),
            ("soon", "", "is not a date"),
        ],
    )
    def test_impossible_dates_are_refused(self, make_place, valid_from, valid_to, fragment):
        place = make_place("淮河路")
        with pytest.raises(ValidationError) as exc:
            name_record(place=place, name="后大街", kind="former", valid_from=valid_from, valid_to=valid_to)
        assert fragment in messages_of(exc)
        assert place.names.count() == 1

    def test_the_database_refuses_a_name_ending_before_it_begins(self, make_place):
        place = make_place("淮河路")
        with pytest.raises(IntegrityError), transaction.atomic():
            PlaceName.objects.create(
                place=place, name="后大街", kind="former", valid_from_key=19900101, valid_to_key=19801231
            )

    def test_a_rename_before_the_current_name_began_is_refused(self, make_place):
        place = make_place("庐江路", named_on="1956")
        with pytest.raises(ValidationError):
            place_rename(place=place, new_name="新庐江路", effective="1950")
        assert Place.objects.get(pk=place.pk).name == "庐江路"

    def test_the_name_is_not_changed_by_update(self, make_place):
        with pytest.raises(ValidationError):
            place_update(place=make_place("淮河路"), name="别的路")

    def test_retiring_keeps_the_place_and_its_names(self, make_place):
        place = make_place("老城巷", named_on="1980")
        place_retire(place=place, effective="2019-09-30")
        place.refresh_from_db()
        assert place.status == "retired"
        (name,) = place.names.all()
        assert (name.name, name.valid_to) == ("老城巷", "2019-09-30")


class TestRefusals:
    @pytest.mark.parametrize(
        "lon,lat",
        [(31.86, 117.28), (0, 0), (-117.28, 31.86), (117.28, 60), (140.0, 31.0)],
        ids=["swapped", "null-island", "west", "too-north", "too-east"],
    )
    def test_coordinates_outside_china_are_refused(self, make_place, lon, lat):
        with pytest.raises(ValidationError) as exc:
            make_place("习友路", longitude=lon, latitude=lat)
        assert "outside China" in messages_of(exc)
        assert not Place.objects.exists()

    def test_half_a_coordinate_is_refused(self, make_place):
        with pytest.raises(ValidationError) as exc:
            make_place("习友路", longitude=117.2)
        assert "both longitude and latitude" in messages_of(exc)

    def test_a_line_geometry_outside_china_is_refused(self, make_place):
        with pytest.raises(ValidationError) as exc:
            make_place("习友路", geometry={"type": "LineString", "coordinates": [[117.2, 31.8], [2.35, 48.85]]})
        assert "outside China" in messages_of(exc)

    def test_unknown_category_details_are_refused(self, make_place):
        with pytest.raises(ValidationError) as exc:
            make_place("习友路", details={"widht_m": 40})
        assert "“widht_m” is not a detail" in messages_of(exc)

    def test_details_are_typed(self, make_place):
        place = make_place("习友路", details={"width_m": "40", "lanes": "6"})
        assert place.details == {"width_m": 40.0, "lanes": 6}
        with pytest.raises(ValidationError) as exc:
            make_place("潜山路", details={"width_m": "wide"})
        assert "not a number" in messages_of(exc)

    @pytest.mark.parametrize("name", ["", "   ", "\u3000", "长江\x00路", "长江\u202e路", "长" * 101])
    def test_names_that_are_not_text_are_refused(self, make_place, name):
        with pytest.raises(ValidationError):
            make_place(name)
        assert not Place.objects.exists()

    def test_full_width_spaces_and_zero_width_characters_are_folded(self, make_place):
        assert make_place("\u3000金寨\u200b路 ").name == "金寨路"


class TestNothingIsDeleted:
    def test_a_place_refuses_deletion(self, make_place):
        place = make_place("金寨路")
        with pytest.raises(DeletionRefused):
            place.delete()
        with pytest.raises(DeletionRefused):
            Place.objects.filter(pk=place.pk).delete()
        assert Place.objects.filter(pk=place.pk).exists()

    def test_a_name_refuses_deletion(self, make_place):
        name = make_place("金寨路").names.get()
        with pytest.raises(DeletionRefused):
            name.delete()
        with pytest.raises(DeletionRefused):
            PlaceName.objects.all().delete()
        assert PlaceName.objects.count() == 1

    def test_a_division_refuses_deletion(self, shushan):
        with pytest.raises(DeletionRefused):
            shushan.delete()
        with pytest.raises(DeletionRefused):
            Division.objects.filter(code__startswith="3401").delete()

    def test_a_listing_refuses_deletion(self, make_place):
        place = make_place("三河镇", category="town")
        listing = HeritageListing.objects.create(place=place, scheme="other", level="municipal")
        with pytest.raises(DeletionRefused):
            listing.delete()

    def test_a_cascade_is_refused_too(self, make_place):
        from django.db.models.deletion import Collector

        # What a cascade from another model would run: the collector, which sends pre_delete.
        name = make_place("金寨路").names.get()
        collector = Collector(using="default")
        collector.collect([name])
        with pytest.raises(DeletionRefused), transaction.atomic():
            collector.delete()
        assert PlaceName.objects.filter(pk=name.pk).exists()


class TestAudit:
    def test_every_write_leaves_a_history_row_with_the_user(self, make_place, django_user_model):
        clerk = django_user_model.objects.create_user("clerk1")
        place = make_place("金寨路", acting_user=clerk)
        place_update(place=place, acting_user=clerk, origin="以金寨县命名")
        place_rename(place=place, new_name="金寨大道", effective=dt.date(2030, 1, 1), acting_user=clerk)
        rows = place.history.order_by("history_date")
        assert [r.history_type for r in rows] == ["+", "~", "~"]
        assert {r.history_user for r in rows} == {clerk}
        assert PlaceName.history.filter(place_id=place.pk).count() == 3  # opened, closed, opened


def test_allocate_code_is_per_prefix(shushan, baohe):
    assert allocate_code(division=shushan, category="water") == "340104W00001"
    assert allocate_code(division=baohe, category="water") == "340111W00001"
