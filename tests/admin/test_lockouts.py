"""登录锁定: who and which address is locked out, since and until when; 解除锁定, audited.

Before, django-axes' admin pages were off (English only) and lock-outs could only be
listed and lifted with ``manage.py axes_list_attempts`` / ``axes_reset_*``.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client
from django.utils import timezone

from registry.services.lockouts import ADDRESS, USERNAME, active_lockouts, lockout_lift

pytestmark = pytest.mark.django_db
LIMIT, COOL_OFF = 5, dt.timedelta(minutes=15)
LIST = "/admin/axes/accessattempt/"
ZH = {"accept-language": "zh-hans"}


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOL_OFF
    return settings


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password="right-pass-2026", is_staff=True)


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "boss-pass-2026")


def attempt(username, address, failures, minutes_ago, agent="firefox"):
    row = AccessAttempt.objects.create(
        username=username,
        ip_address=address,
        user_agent=agent,
        failures_since_start=failures,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
    )
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return row


def admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, headers=ZH)


# (rows: user name, address, failures, minutes ago) → the lock-outs in force (kind, value, failures, until in minutes)
CASES = [
    (
        "one row at the limit",
        [("clerk", "10.0.0.1", 5, 2)],
        {(USERNAME, "clerk"): (5, 13), (ADDRESS, "10.0.0.1"): (5, 13)},
    ),
    ("below the limit", [("clerk", "10.0.0.1", 4, 2)], {}),
    ("aged past the cool-off", [("clerk", "10.0.0.1", 9, 16)], {}),
    # clerk from two addresses: 3 + 2; the older row leaves the window first, and then 2 < 5.
    (
        "one user, two addresses",
        [("clerk", "10.0.0.1", 3, 10), ("clerk", "10.0.0.2", 2, 1)],
        {(USERNAME, "clerk"): (5, 5)},
    ),
    # one address, many user names: the address is locked (until the oldest row ages out), no user name is.
    (
        "one address, many names",
        [("a", "10.0.0.9", 2, 8), ("b", "10.0.0.9", 2, 6), ("c", "10.0.0.9", 2, 4)],
        {(ADDRESS, "10.0.0.9"): (6, 7)},
    ),
]


@pytest.mark.parametrize("rows,expected", [pytest.param(r, e, id=c) for c, r, e in CASES])
def test_the_lockouts_in_force_and_their_end(axes_on, rows, expected):
    for row in rows:
        attempt(*row)
    now = timezone.now()
    found = active_lockouts(now)
    assert set(found) == set(expected)
    for key, (failures, minutes_left) in expected.items():
        assert found[key].failures == failures
        assert abs((found[key].until - now) - dt.timedelta(minutes=minutes_left)) < dt.timedelta(seconds=5)


def test_the_page_is_for_superusers_only(axes_on, clerk, boss, django_user_model):
    attempt("clerk", "10.0.0.1", 5, 1)
    approver = django_user_model.objects.create_user("approver", password="x", is_staff=True)
    approver.user_permissions.set([])
    for user, status in [(boss, 200), (approver, 403)]:
        client = Client()
        client.force_login(user)
        assert client.get(LIST).status_code == status, user
    client = Client()
    client.force_login(approver)
    assert "登录安全" not in client.get("/admin/", headers=ZH).content.decode()


def test_the_list_says_who_is_locked_since_and_until_when_in_chinese(axes_on, boss):
    attempt("clerk", "10.0.0.1", 5, 2)
    attempt("visitor", "10.0.0.7", 1, 3)
    client = Client()
    client.force_login(boss)
    page = client.get(LIST, headers=ZH).content.decode()
    for text in (
        "登录锁定",
        "用户名",
        "地址",
        "失败次数",
        "锁定起于",
        "锁定至",
        "用户名 clerk 已锁定",
        "地址 10.0.0.1 已锁定",
        "未锁定",
        "解除锁定",
    ):
        assert text in page, text
    until = timezone.localtime(timezone.now() + dt.timedelta(minutes=13)).strftime("%Y-%m-%d %H:%M")
    assert until in page
    locked_only = client.get(LIST + "?lockout=locked", headers=ZH).content.decode()
    assert "clerk" in locked_only and "visitor" not in locked_only
    index = client.get("/admin/", headers=ZH).content.decode()
    assert "登录安全" in index and "登录锁定" in index


def test_lifting_lets_the_user_in_and_leaves_an_audit_entry(axes_on, clerk, boss, caplog):
    client = Client()
    for i in range(LIMIT):
        admin_login(client, "clerk", f"wrong-{i}")
    assert admin_login(client, "clerk", "right-pass-2026").status_code == 429
    row = AccessAttempt.objects.get(username="clerk")

    superuser = Client()
    superuser.force_login(boss)
    with caplog.at_level(logging.WARNING, logger="registry.audit"):
        response = superuser.post(
            LIST, {"action": "lift_selected", "_selected_action": [row.pk]}, headers=ZH, follow=True
        )
    page = response.content.decode()
    assert "已解除锁定：用户名 clerk、地址 127.0.0.1" in page, page[:3000]
    assert not AccessAttempt.objects.exists()
    assert admin_login(client, "clerk", "right-pass-2026").status_code == 302

    logged = [r.getMessage() for r in caplog.records if r.name == "registry.audit"]
    assert logged == [
        "Lock-out lifted: username 'clerk' by boss (1 rows of failures removed)",
        "Lock-out lifted: ip_address '127.0.0.1' by boss (0 rows of failures removed)",
    ]
    entries = LogEntry.objects.filter(user=boss, action_flag=DELETION).order_by("object_repr")
    assert [(e.object_repr, e.change_message) for e in entries] == [
        ("地址 127.0.0.1", "已解除锁定（删除 0 条失败记录）。"),
        ("用户名 clerk", "已解除锁定（删除 1 条失败记录）。"),
    ]


def test_lifting_a_row_that_is_not_locked_changes_nothing(axes_on, boss):
    row = attempt("visitor", "10.0.0.7", 1, 3)
    client = Client()
    client.force_login(boss)
    response = client.post(LIST, {"action": "lift_selected", "_selected_action": [row.pk]}, headers=ZH, follow=True)
    assert "所选记录均未锁定" in response.content.decode()
    assert AccessAttempt.objects.filter(pk=row.pk).exists() and not LogEntry.objects.exists()


@pytest.mark.parametrize(
    "method,url,answer",
    [
        ("get", f"{LIST}add/", 403),
        ("post", f"{LIST}1/change/", 403),
        ("post", f"{LIST}1/delete/", "使用“解除锁定”操作"),
    ],
)
def test_nothing_is_added_edited_or_deleted_by_hand(axes_on, boss, method, url, answer):
    row = attempt("clerk", "10.0.0.1", 5, 1)
    client = Client()
    client.force_login(boss)
    response = getattr(client, method)(
        url.replace("/1/", f"/{row.pk}/"), {"post": "yes"} if method == "post" else None, headers=ZH, follow=True
    )
    if answer == 403:
        assert response.status_code == 403
    else:
        assert response.status_code == 200 and answer in response.content.decode()
    assert AccessAttempt.objects.filter(pk=row.pk).exists()


def test_a_lock_out_is_on_a_user_name_or_an_address(boss):
    with pytest.raises(ValueError, match="user name or an address"):
        lockout_lift(kind="user_agent", value="x", acting_user=boss)
