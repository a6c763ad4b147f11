"""Import and export from the place list, through the same importer as the command."""
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Place

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def upload(client, name, **options):
    data = {"file": SimpleUploadedFile(name, (DATA / name).read_bytes()), **options}
    return client.post(reverse("admin:registry_place_import"), data)


def test_admin_import_checks_then_writes(admin_client):
    checked = upload(admin_client, "good_gbk.csv", dry_run="on")
    assert "3" in checked.content.decode() and not Place.objects.exists()
    upload(admin_client, "good_gbk.csv")
    assert Place.objects.count() == 3
    assert Place.history.filter(history_change_reason="import", history_user__username="admin").count() == 3


def test_admin_import_shows_problems_and_writes_nothing(admin_client):
    response = upload(admin_client, "bad_division.csv")
    assert "999999" in response.content.decode() and not Place.objects.exists()


def test_admin_export_downloads_the_registry(admin_client, make_place):
    make_place("金寨路")
    response = admin_client.get(reverse("admin:registry_place_export", args=["csv"]))
    assert "金寨路" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_admin_imports_and_exports_heritage_listings(admin_client):
    from registry.models import HeritageListing

    heritage = DATA / "heritage"
    admin_client.post(reverse("admin:registry_place_import"), {
        "kind": "places", "file": SimpleUploadedFile("places.csv", (heritage / "places.csv").read_bytes())})
    response = admin_client.post(reverse("admin:registry_place_import"), {
        "kind": "heritage", "file": SimpleUploadedFile("bad.csv", (heritage / "bad.csv").read_bytes())})
    assert "340181Z99999" in response.content.decode() and not HeritageListing.objects.exists()
    admin_client.post(reverse("admin:registry_place_import"), {
        "kind": "heritage", "file": SimpleUploadedFile("good.xlsx", (heritage / "good.xlsx").read_bytes())})
    assert HeritageListing.history.filter(history_user__username="admin").count() == 3
    response = admin_client.get(reverse("admin:registry_place_export", args=["csv"]) + "?kind=heritage")
    assert "橐皋" in b"".join(response.streaming_content).decode("utf-8-sig")
