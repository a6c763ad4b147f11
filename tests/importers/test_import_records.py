"""Each completed import is recorded; the same file is not imported twice (#10 item 2)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from registry.exceptions import DeletionRefused
from registry.importers import records
from registry.importers.records import Upload, run_import
from registry.models import HeritageListing, ImportRecord, Place

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.fixture
def clerk(db, django_user_model, client):
    user = django_user_model.objects.create_user("clerk1", password="pw", is_staff=True, first_name="小王")
    user.groups.add(Group.objects.get(name="clerk"))
    client.force_login(user)
    return user


def upload(client, name, **options):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), **options}
    return client.post(reverse("admin:registry_place_import"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_same_file_through_the_admin_twice_is_refused_the_second_time(client, clerk):
    first = upload(client, "good_gbk.csv")
    assert first.status_code == 200 and Place.objects.count() == 3
    record = ImportRecord.objects.get()
    assert (record.file_name, record.kind, record.via, record.imported_by, record.created) == (
        "good_gbk.csv",
        "places",
        "admin",
        clerk,
        3,
    )
    assert len(record.sha256) == 64 and record.imported_by_name == "小王（clerk1）"

    second = upload(client, "good_gbk.csv")
    page = second.content.decode()
    assert second.status_code == 200
    assert "此文件（内容相同）已于" in page and "小王（clerk1）" in page and "good_gbk.csv" in page
    assert Place.objects.count() == 3 and ImportRecord.objects.count() == 1
    assert sorted(Place.objects.values_list("name", flat=True)) == ["三河镇", "庐江路", "金寨路"]


def test_a_dry_run_of_an_imported_file_says_a_real_import_would_be_refused(client, clerk, tmp_path):
    census = SimpleUploadedFile("census.csv", "name,category,division\n潜山路,road,340104\n".encode())
    client.post(reverse("admin:registry_place_import"), {"file": census})
    census.seek(0)
    page = client.post(reverse("admin:registry_place_import"), {"file": census, "dry_run": "on"}).content.decode()
    assert "此文件（内容相同）已于" in page  # checked, and told
    assert "“潜山路”不符合命名规则：重名" in page  # and the check itself finds the places already there
    assert ImportRecord.objects.count() == 1 and Place.objects.count() == 1


def test_the_same_rows_in_another_file_are_a_new_import(client, clerk, tmp_path):
    """The digest is of the content: a file re-saved with other bytes is another file (its rows are
    then checked as always: here the codes and names exist, so it is refused for that)."""
    upload(client, "good_gbk.csv")
    response = client.post(
        reverse("admin:registry_place_import"),
        {"file": SimpleUploadedFile("good_utf8.csv", (DATA / "good_utf8.csv").read_bytes())},
    )
    assert "此文件（内容相同）" not in response.content.decode()
    assert Place.objects.count() == 3


def test_the_command_refuses_a_repeat_and_allow_repeat_overrides_it(db, tmp_path, capsys):
    census = tmp_path / "census.csv"  # no codes: each import would create the places again
    census.write_text("name,category,division\n潜山路,road,340104\n", encoding="utf-8")
    call_command("import_places", str(census), verbosity=0)
    with pytest.raises(CommandError):
        call_command("import_places", str(census), verbosity=0)
    assert "already imported" in capsys.readouterr().err and Place.objects.count() == 1
    call_command("import_places", str(census), "--allow-repeat", "--legacy", verbosity=0)
    assert Place.objects.filter(name="潜山路").count() == 2  # asked for, and recorded as such
    assert list(ImportRecord.objects.order_by("id").values_list("via", "repeat_allowed", "created")) == [
        ("command", False, 1),
        ("command", True, 1),
    ]
    assert ImportRecord.objects.first().imported_by_name.startswith("manage.py")


def test_an_update_may_repeat_a_file(db, tmp_path):
    call_command("import_places", str(DATA / "good_utf8.csv"), verbosity=0)
    export = tmp_path / "export.json"
    call_command("export_places", str(export), verbosity=0)
    call_command("import_places", str(export), "--update", verbosity=0)
    call_command("import_places", str(export), "--update", verbosity=0)
    assert Place.objects.count() == 3
    assert list(ImportRecord.objects.order_by("id").values_list("update", "unchanged")) == [
        (False, 0),
        (True, 3),
        (True, 3),
    ]


def test_a_failed_or_dry_import_leaves_no_record(db):
    with pytest.raises(CommandError):
        call_command("import_places", str(DATA / "bad_division.csv"), verbosity=0)
    call_command("import_places", str(DATA / "good_utf8.csv"), "--dry-run", verbosity=0)
    assert not ImportRecord.objects.exists()


def test_a_repeat_committed_meanwhile_is_refused_inside_the_transaction(db, monkeypatch):
    """Two uploads of one file at once: the second to commit finds the first's record under
    the lock and rolls back."""
    real = records.previous_import
    calls = []

    def racing(sha256, kind):
        calls.append(sha256)
        if len(calls) == 1:  # the check before reading: the other upload has not committed yet
            ImportRecord.objects.create(
                sha256=sha256,
                file_name="good_utf8.csv",
                kind=kind,
                via="admin",
                imported_by_name="另一位录入员",
                created=3,
            )
            return None
        return real(sha256, kind)

    monkeypatch.setattr(records, "previous_import", racing)
    result = run_import(Upload(DATA / "good_utf8.csv", "good_utf8.csv", "admin"))
    assert not result.ok and "另一位录入员" in result.problems[0].message
    assert not Place.objects.exists() and ImportRecord.objects.count() == 1


def test_heritage_imports_are_recorded_and_refused_again(db):
    call_command("import_places", str(DATA / "heritage" / "places.csv"), verbosity=0)
    call_command("import_places", str(DATA / "heritage" / "good.json"), "--kind", "heritage", verbosity=0)
    result = run_import(Upload(DATA / "heritage" / "good.json", "good.json", "admin"), kind="heritage")
    assert not result.ok and "already imported" in result.problems[0].message
    assert HeritageListing.objects.count() == 3
    assert list(ImportRecord.objects.order_by("id").values_list("kind", "created")) == [("places", 3), ("heritage", 3)]


def test_import_records_are_kept_forever(db):
    call_command("import_places", str(DATA / "good_utf8.csv"), verbosity=0)
    record = ImportRecord.objects.get()
    with pytest.raises(DeletionRefused):
        record.delete()
    with pytest.raises(DeletionRefused):
        ImportRecord.objects.all().delete()


def test_the_admin_lists_import_records_read_only(client, clerk):
    upload(client, "good_gbk.csv")
    record = ImportRecord.objects.get()
    listing = client.get(reverse("admin:registry_importrecord_changelist"))
    assert listing.status_code == 200 and "good_gbk.csv" in listing.content.decode()
    detail = client.get(reverse("admin:registry_importrecord_change", args=[record.pk]))
    assert detail.status_code == 200 and record.sha256 in detail.content.decode()
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:registry_importrecord_add")).status_code == 403
    client.post(reverse("admin:registry_importrecord_delete", args=[record.pk]), {"post": "yes"})
    assert ImportRecord.objects.count() == 1
