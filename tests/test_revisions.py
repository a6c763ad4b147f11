"""Revisions: one per transaction, in commit order, so caches can trust them."""
import pytest
from django.db import transaction

from registry.models import Revision
from registry.revisions import bump, current


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_revision_per_transaction_and_a_new_one_after_commit():
    with transaction.atomic():
        first = bump("places")
        assert bump("places") == first
    with transaction.atomic():
        assert bump("places") == first + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_gives_its_revision_back():
    start = current().get("places", 0)
    with pytest.raises(RuntimeError), transaction.atomic():
        bump("places")
        raise RuntimeError
    assert current().get("places", 0) == start
    with transaction.atomic():
        assert bump("places") == start + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_decorated_function_gets_a_new_revision_each_call():
    @transaction.atomic
    def write():
        return bump("places")

    assert write() + 1 == write()
    assert Revision.objects.get(name="places").value >= 2
