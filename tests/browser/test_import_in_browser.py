"""A data clerk's import, end to end in a real browser (Debian's Chromium driven by Playwright).

The clerk checks a GBK census file (dry run), imports it, tries the same file again and
is refused with the earlier import named; a file with the same rows in other bytes is
checked and its names reported row by row as duplicates. The clerk has no export links
and the export URL answers 403 with a reason; an administrator downloads the Chinese
Excel export, whose headers are Chinese. Screenshots go to ``docs/admin-import-*.png``.

Run with ``pytest -m browser``; it never downloads a browser.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from registry.models import ImportRecord, Place
from tests.browser.conftest import DOCS
from tests.browser.pages import login

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def users(django_user_model):
    clerk = django_user_model.objects.create_user(
        "clerk", password="clerk-pass-2026", is_staff=True, first_name="王录入"
    )
    clerk.groups.add(Group.objects.get(name="clerk"))
    django_user_model.objects.create_superuser("admin", password="admin-pass-2026")


def submit(page, base, path, *, dry_run):
    page.goto(f"{base}/admin/registry/place/import/")
    page.set_input_files("#id_file", str(path))
    if not dry_run:
        page.uncheck("#id_dry_run")
    page.click("#import-form input[type=submit]")
    page.wait_for_selector("#import-result")
    return page.inner_text("#import-result")


def test_a_clerk_imports_a_census_once_and_an_administrator_exports_it_in_chinese(
    browser_page,
    live_server,
    users,  # noqa: F811
    tmp_path,
):
    page, base = browser_page, live_server.url

    login(page, base, "clerk")
    page.goto(f"{base}/admin/registry/place/")
    assert page.locator(".object-tools a[href$='/import/']").count() == 1
    assert page.locator("#export-xlsx-zh").count() == 0  # clerks import; they do not take the registry away
    page.goto(f"{base}/admin/registry/place/import/")
    page.set_input_files("#id_file", str(DATA / "good_gbk.csv"))
    page.screenshot(path=str(DOCS / "admin-import-form.png"), full_page=True)

    checked = submit(page, base, DATA / "good_gbk.csv", dry_run=True)
    page.screenshot(path=str(DOCS / "admin-import-dry-run.png"), full_page=True)
    assert "已检查（未写入）" in checked and not Place.objects.exists()

    imported = submit(page, base, DATA / "good_gbk.csv", dry_run=False)
    page.screenshot(path=str(DOCS / "admin-import-done.png"), full_page=True)
    assert "已导入" in imported and Place.objects.count() == 3

    refused = submit(page, base, DATA / "good_gbk.csv", dry_run=False)
    page.screenshot(path=str(DOCS / "admin-import-refused.png"), full_page=True)
    assert "此文件（内容相同）已于" in refused and "王录入（clerk）" in refused
    assert Place.objects.count() == 3 and ImportRecord.objects.count() == 1

    # The same names in another file (other bytes, no codes): checked as always, refused row by row.
    again = tmp_path / "普查补录.csv"
    again.write_text(
        "name,category,division\n潜山路,road,340104\n金寨路,road,340104\n三河镇,town,340123\n", encoding="utf-8"
    )
    duplicates = submit(page, base, again, dry_run=True)
    page.screenshot(path=str(DOCS / "admin-import-duplicates.png"), full_page=True)
    assert "“金寨路”不符合命名规则：重名" in duplicates and "“三河镇”不符合命名规则：重名" in duplicates
    assert Place.objects.count() == 3

    page.goto(f"{base}/admin/registry/importrecord/")
    page.screenshot(path=str(DOCS / "admin-import-records.png"), full_page=True)
    assert "good_gbk.csv" in page.inner_text("#result_list")

    response = page.goto(f"{base}/admin/registry/place/export/xlsx/?labels=zh")
    assert response.status == 403 and "您无权导出登记簿" in page.inner_text("#content")

    login(page, base, "admin")
    page.goto(f"{base}/admin/registry/place/")
    page.screenshot(path=str(DOCS / "admin-import-export-links.png"))
    with page.expect_download() as download:
        page.click("#export-xlsx-zh")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "地名.xlsx"
    sheet = load_workbook(path).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:8] == ["编码", "名称", "类别", "行政区划代码", "行政区划", "状态", "拼音", "通名"]
    lujiang = dict(zip(rows[0], next(r for r in rows if r[1] == "庐江路")))
    assert (lujiang["类别"], lujiang["状态"], lujiang["红线宽度（米）"]) == ("道路街巷", "现行", 20)
