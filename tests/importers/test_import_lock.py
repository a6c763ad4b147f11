"""One import at a time, and writers told at once while an import writes (issue #12).

"Another import" is simulated by holding the import lock from elsewhere (another
PostgreSQL session; the lock file or the process lock for SQLite) with its row saying
who holds it; the real two-process race is in tests/faults/test_concurrent_imports.py.
"""

import contextlib
import datetime as dt

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from registry import freshness
from registry.importers import lock
from registry.importers.places import import_places
from registry.models import ImportLock, Place


@contextlib.contextmanager
def another_import(holder="张三", writing_for=None):
    """The import lock held as another import would hold it, with its row."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [lock.ADVISORY_KEY])
        release = other.close
    else:
        release = lock._try_acquire()
        assert release is not None
    until = timezone.now() + dt.timedelta(seconds=writing_for) if writing_for else None
    ImportLock.objects.create(pk=1, holder=holder, started_at=timezone.now(), token="other", writing_until=until)
    try:
        yield
    finally:
        ImportLock.objects.filter(pk=1).delete()
        release()


def _census(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text("name,category,division\n翡翠路,road,340104\n", encoding="utf-8")
    return path


def test_a_second_import_is_refused_at_once_naming_the_first(db, tmp_path):
    with another_import("张三"):
        result = import_places(_census(tmp_path))
    assert not result.ok and not result.written
    assert "Another import is running (started by 张三 at" in result.problems[0].message
    assert not Place.objects.exists()
    assert import_places(_census(tmp_path)).created == 1  # once it has finished


def test_a_dry_run_needs_no_lock(db, tmp_path):
    with another_import():
        assert import_places(_census(tmp_path), dry_run=True).ok


def test_a_lock_left_by_a_dead_import_does_not_stop_anyone(db, tmp_path):
    ImportLock.objects.create(pk=1, holder="killed", token="dead", writing_until=timezone.now() + dt.timedelta(hours=1))
    assert lock.busy() is None  # its lock died with it
    assert import_places(_census(tmp_path)).created == 1
    assert not ImportLock.objects.exists()


def test_while_an_import_writes_other_writers_fail_at_once_with_when_to_retry(db):
    with another_import("李四", writing_for=40):
        with pytest.raises(lock.ImportInProgress) as caught:
            freshness.lock()
    assert 35 <= caught.value.retry_after <= 40
    assert "An import is in progress (started by 李四)" in caught.value.message
    assert "try again in" in caught.value.message


def test_the_import_itself_is_not_refused(db, tmp_path):
    with lock.import_lock("me"), lock.writing(60):
        assert freshness.lock() >= 1


@pytest.fixture
def clerk_api(db, django_user_model):
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    user = django_user_model.objects.create_user("clerk", password="pw-clerk", is_staff=True)
    user.groups.add(Group.objects.get(name="clerk"))
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(django_user_model.objects.get(pk=user.pk))
    return client


def test_the_api_answers_a_json_503_with_retry_after_in_chinese(clerk_api, make_place):
    """On SQLite any write would wait for the import's lock: it is answered before its view runs."""
    town = make_place("三河镇", category="town")
    with another_import("王五", writing_for=30):
        response = clerk_api.post(
            "/api/v1/proposals/",
            {
                "action": "list_heritage",
                "place": town.code,
                "reason": "申报",
                "heritage": {"scheme": "other", "level": "municipal"},
            },
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    if connection.vendor == "postgresql":  # a proposal is no place write: it waits for no import there
        assert response.status_code == 201, response.content
        return
    assert response.status_code == 503  # on SQLite every write waits for the one write lock
    assert 25 <= int(response["Retry-After"]) <= 30
    body = response.json()
    assert "导入正在进行" in body["detail"] and "秒后重试" in body["detail"] and body["retry_after"] >= 25


def test_a_save_refused_by_the_revision_lock_keeps_what_the_clerk_typed(db):
    """PostgreSQL: the clerk's transaction meets the import at ``freshness.lock`` (any database alike)."""
    from django.test import RequestFactory
    from django.utils import translation

    from registry.db_errors import DatabaseUnavailableMiddleware

    request = RequestFactory().post(
        "/admin/registry/place/1/change/", {"origin": "以长江命名（草稿）", "name": "长江西路"}
    )
    with translation.override("zh-hans"):
        response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(
            request, lock.ImportInProgress(42, "王五")
        )
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "42"
    assert "导入正在进行（由 王五 启动）" in page and "42 秒后重试" in page
    assert 'name="origin" value="以长江命名（草稿）"' in page and 'action="/admin/registry/place/1/change/"' in page


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_the_admin_keeps_what_the_clerk_typed(db, make_place, admin_user):
    """SQLite: the POST is answered before its view runs (its transaction would wait at BEGIN)."""
    place = make_place("长江西路")
    client = Client()
    client.force_login(admin_user)
    with another_import("王五", writing_for=30):
        response = client.post(
            f"/admin/registry/place/{place.pk}/change/",
            {"origin": "以长江命名（草稿）"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 503 and int(response["Retry-After"]) >= 25
    page = response.content.decode()
    assert "导入正在进行" in page and "秒后重试" in page
    assert 'name="origin" value="以长江命名（草稿）"' in page  # sent again, unchanged, with one button
    assert "以长江命名（草稿）</td>" in page  # and shown
