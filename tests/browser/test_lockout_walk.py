"""A lock-out lifted in a real browser (Debian's Chromium driven by Playwright).

A clerk mistypes the password until django-axes locks the user name and the address
out; the right password is then refused too. A superuser, from another address, opens
登录锁定, sees who and which address is locked until when, selects the row and runs
解除锁定; the clerk logs in at once. The superuser's page before lifting is saved as
``docs/admin-lockouts.png``.

The two people sit behind one trusted proxy (``REGISTRY_TRUSTED_PROXIES = 1``), which
forwards each one's own address (documentation addresses, RFC 5737): with both on
127.0.0.1 the address lock-out would keep the superuser out as well.
"""

import pytest
from axes.models import AccessAttempt

from tests.browser.conftest import DOCS
from tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
CLERK_ADDRESS, BOSS_ADDRESS = "198.51.100.7", "198.51.100.20"


@pytest.fixture
def people(django_user_model, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    django_user_model.objects.create_user("clerk", password="clerk-pass-2026", is_staff=True)
    django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-pass-2026")


def from_address(page, address):
    page.set_extra_http_headers({"X-Forwarded-For": address})


def try_login(page, base, password):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_superuser_lifts_a_lock_out_and_the_clerk_gets_in(browser_page, live_server, people):
    page, base = browser_page, live_server.url
    from_address(page, CLERK_ADDRESS)
    answers = [try_login(page, base, f"wrong-{i}") for i in range(5)]
    assert "登录失败次数过多" in answers[-1], answers[-1]
    assert "登录失败次数过多" in try_login(page, base, "clerk-pass-2026")  # locked: the right password is refused too

    from_address(page, BOSS_ADDRESS)
    login(page, base, "boss")
    page.click("text=登录锁定")
    page.wait_for_selector("#result_list")
    row = page.locator("#result_list tbody tr", has_text="clerk")
    listed = row.inner_text()
    assert CLERK_ADDRESS in listed and "用户名 clerk 已锁定" in listed and f"地址 {CLERK_ADDRESS} 已锁定" in listed
    assert page.locator("#result_list thead", has_text="锁定至").count() == 1
    page.screenshot(path=str(DOCS / "admin-lockouts.png"), full_page=True)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", label="解除锁定")
    page.click("#changelist-form button[name=index]")
    page.wait_for_selector(".messagelist .success")
    assert f"已解除锁定：用户名 clerk、地址 {CLERK_ADDRESS}" in page.inner_text(".messagelist")
    assert not AccessAttempt.objects.exists()
    page.goto(f"{base}/admin/")
    assert "用户名 clerk" in page.inner_text("#recent-actions-module")  # the admin log: who lifted what
    page.screenshot(path="/tmp/lockout-lifted.png", full_page=True)

    from_address(page, CLERK_ADDRESS)
    login(page, base, "clerk")  # waits for the logged-in header: the clerk is in
    assert "clerk" in page.inner_text("#user-tools").lower()
