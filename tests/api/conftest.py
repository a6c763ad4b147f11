"""API tests make many anonymous requests from one address: each starts with a fresh throttle."""

import pytest


@pytest.fixture(autouse=True)
def fresh_throttle():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Hefei demo registry (``load_demo``), loaded once for a module and rolled back after it.

    A module using it also overrides the suite's per-test ``fresh_similarity_index`` with a
    no-op, so that the index's view of the demo stays valid for the whole module."""
    from django.core.management import call_command
    from django.db import transaction

    from registry.validation.similarity import reset_index

    with django_db_blocker.unblock(), transaction.atomic():
        reset_index()
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)
    reset_index()
