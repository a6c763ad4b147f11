"""What every browser walk shares: Debian's Chromium driven by Playwright, and logging in.

The walks never download a browser: Playwright launches the system's ``chromium``
(``.ci/run`` installs Debian's package when it is missing). The page is a clerk's
laptop, 1366 px wide, in a Chinese locale. Screenshots go to ``docs/``.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def browser_page():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield page
        browser.close()


@pytest.fixture
def clerk(django_user_model):
    """A clerk (登记员) who logs in with ``clerk-pass-2026`` (``pages.login``'s default)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("clerk", password="clerk-pass-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="clerk"))
    return user
