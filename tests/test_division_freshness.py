"""A division edited in the admin is seen at once by the answers that show it (issue #17:
division saves used to bypass the revision, leaving cached API answers stale)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from registry import freshness
from registry.models import Division
from registry.services.divisions import division_save
from registry.services.places import place_create

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _division_name(api, code: str) -> str:
    return api.get(f"/api/v1/places/{code}/").json()["division_name"]


@transactional
def test_a_division_renamed_in_the_admin_refreshes_the_cached_place_answer(django_user_model):
    from registry.api import caching

    caching._responses.clear()
    api = APIClient()
    place = place_create(name="左圣宫巷", category="road", division=Division.objects.get(code="340104"))
    assert _division_name(api, place.code) == "蜀山区"
    assert _division_name(api, place.code) == "蜀山区"  # a cached answer now
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("division-editor", password="x"))
    shushan = Division.objects.get(code="340104")
    before = freshness.snapshot().places
    response = admin.post(
        reverse("admin:registry_division_change", args=["340104"]),
        {
            "name": "蜀山区（测试）",
            "level": shushan.level,
            "parent": shushan.parent_id,
            "verification": shushan.verification,
            "source": shushan.source,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Division.objects.get(code="340104").name == "蜀山区（测试）"
    assert _division_name(api, place.code) == "蜀山区（测试）"
    assert freshness.snapshot().places == before + 1


@transactional
def test_a_division_saved_through_the_service_moves_the_revision_once():
    division = Division.objects.get(code="340104")
    before = freshness.snapshot().places
    division.source = "测试来源"
    division_save(division=division)
    assert freshness.snapshot().places == before + 1
