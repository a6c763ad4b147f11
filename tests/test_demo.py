"""The Hefei demo data: loads through the services, twice gives the same counts."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from registry.choices import Category
from registry.models import HeritageListing, Place, PlaceName

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_similarity_index():
    """Overrides the suite's per-test reset: the demo's index pending rows stay valid for the module."""
    yield


def counts():
    return (
        Place.objects.count(),
        PlaceName.objects.count(),
        HeritageListing.objects.count(),
        Place.history.count(),
        PlaceName.history.count(),
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data loaded once for the module, inside a transaction rolled back at the end."""
    from django.db import transaction

    from registry.validation.similarity import reset_index

    with django_db_blocker.unblock(), transaction.atomic():
        reset_index()
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)
    reset_index()


def test_loading_twice_gives_the_same_counts(demo):
    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first


def test_at_least_200_places_across_all_seven_categories(demo):
    assert Place.objects.count() >= 200
    by_category = dict(Place.objects.values_list("category").annotate(n=Count("id")))
    assert set(by_category) == set(Category.values)


def test_at_least_30_places_have_a_naming_history(demo):
    with_history = Place.objects.annotate(n=Count("names")).filter(n__gt=1)
    assert with_history.count() >= 30


def test_lujiang_lu_keeps_its_earlier_street_names(demo):
    road = Place.objects.get(name="庐江路", category="road")
    names = list(road.names.values_list("name", "kind"))
    assert ("庐江路", "official") in names
    assert any(kind == "former" for _, kind in names) and len(names) > 3


def test_heritage_towns_carry_their_evidence(demo):
    zhegao = Place.objects.get(name="柘皋镇", category="town")
    listing = zhegao.heritage_listings.get()
    assert (listing.scheme, listing.first_recorded_name) == ("ancient_town", "橐皋")
    assert listing.years_in_use >= 1000
    assert HeritageListing.objects.filter(scheme="ancient_town").count() >= 8


def test_every_place_has_its_standard_pinyin_and_one_current_name(demo):
    for place in Place.objects.prefetch_related("names"):
        assert place.pinyin and place.pinyin_key, place.name
        current = [n for n in place.names.all() if n.kind == "official" and not n.valid_to]
        assert len(current) == (0 if place.status == "retired" else 1), place.name


def test_retired_places_keep_their_names(demo):
    airport = Place.objects.get(name="合肥骆岗国际机场")
    assert airport.status == "retired"
    assert airport.names.get(kind="official").valid_to == "2013-05-29"


def test_every_record_says_how_well_it_is_attested(demo):
    assert not Place.objects.filter(source="").exists()
    assert set(Place.objects.values_list("verification", flat=True)) <= {"confirmed", "secondary", "unverified"}


def test_every_active_demo_name_passes_without_error_findings(demo):
    """Real standard Hefei names must not be flagged as errors (or are on the allow-list with a reason)."""
    from registry.validation import check_name

    errors = {}
    for place in Place.objects.filter(status="active").select_related("division"):
        result = check_name(place.name, place.category, place=place)
        if not result.ok:
            errors[place.name] = [f.message for f in result.findings if f.is_error]
    assert errors == {}


def test_stored_findings_summarise_the_check(demo):
    assert Place.objects.filter(finding_level="error").count() == 0
    flagged = Place.objects.exclude(finding_level="")
    assert all(p.finding_rules for p in flagged)
