"""Error bodies say what is wrong, not how the machinery works; a database outage is a 503.

Issue #12: bodies leaked permission codenames ("需要权限 registry.review_proposal") and
the JSON decoder's message ("Expecting value: line 1 column 1"); a lock timeout or a
PostgreSQL restart answered Django's HTML 500.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import InterfaceError, OperationalError
from rest_framework.test import APIClient

from registry.api.exceptions import without_codenames
from registry.services.tokens import token_issue

CODENAME_FRAGMENTS = ("registry.", "_proposal", "add_place", "auth.")


@pytest.fixture
def as_role(db, django_user_model):
    def client(name, group=None):
        user = django_user_model.objects.create_user(name, password="x-pass-2026", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
        return api

    return client


@pytest.mark.parametrize(
    "body,content_type",
    [
        ("{not json", "application/json"),
        ('{"name": "长江路",}', "application/json"),
        ("\xff\xfe", "application/json; charset=utf-8"),
    ],
)
def test_a_body_that_is_not_json_gets_one_plain_sentence(db, body, content_type):
    api = APIClient()
    chinese = api.post("/api/v1/names/check/", body, content_type=content_type)
    assert chinese.status_code == 400 and chinese.json() == {"detail": "请求体不是有效的 JSON。"}
    english = api.post("/api/v1/names/check/?lang=en", body, content_type=content_type)
    assert english.json() == {"detail": "The request body is not valid JSON."}
    for leak in ("Expecting", "line 1", "column", "char 0", "JSON parse error"):
        assert leak not in chinese.content.decode() + english.content.decode()


def test_a_permission_refusal_names_no_codename(as_role, db):
    clerk, approver = as_role("clerk", "clerk"), as_role("approver", "approver")
    pid = clerk.post(
        "/api/v1/proposals/",
        {"action": "name", "name": "习友路", "category": "road", "division": "340104", "reason": "新建道路"},
        format="json",
    ).json()["id"]
    refusals = [
        approver.post(f"/api/v1/proposals/{pid}/submit/", {}, format="json"),  # the service's refusal
        approver.post(f"/api/v1/proposals/{pid}/submit/?lang=en", {}, format="json"),
        approver.post(
            "/api/v1/proposals/",
            {
                "action": "name",
                "name": "x路",
                "category": "road",  # the view's
                "division": "340104",
                "reason": "x",
            },
            format="json",
        ),
        as_role("outsider").post(f"/api/v1/proposals/{pid}/submit/", {}, format="json"),
    ]
    for response in refusals:
        assert response.status_code == 403, response.content
        detail = response.json()["detail"]
        assert detail and not any(fragment in detail for fragment in CODENAME_FRAGMENTS), detail


@pytest.mark.parametrize(
    "message,expected",
    [
        ("You may not “approve” (it needs the permission registry.decide_proposal).", "You may not “approve”."),
        ("您无权办理“approve”（需要权限 registry.decide_proposal）。", "您无权办理“approve”。"),
        (
            "Drafting proposals needs the clerk role (registry.submit_proposal).",
            "Drafting proposals needs the clerk role.",
        ),
        ("Needs registry.submit_proposal to draft.", "You do not have permission to perform this action."),
        ("registry.submit_proposal", "You do not have permission to perform this action."),
        ("Nobody decides on a proposal they drafted.", "Nobody decides on a proposal they drafted."),
        ("Only the clerk who drafted a proposal withdraws it.", "Only the clerk who drafted a proposal withdraws it."),
        ("See e.g. the manual (section 3.2).", "See e.g. the manual (section 3.2)."),  # not a codename
    ],
)
def test_without_codenames(message, expected):
    assert without_codenames(message) == expected


@pytest.mark.parametrize("error", [OperationalError("database is locked"), InterfaceError("connection already closed")])
def test_the_api_answers_a_database_outage_with_a_json_503(db, error):
    with mock.patch("registry.api.views.DivisionViewSet.retrieve", side_effect=error):
        response = APIClient().get("/api/v1/divisions/340100/")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert response.json()["detail"] == "数据库暂时繁忙或不可用，请稍后重试。"
    assert "locked" not in response.content.decode() and "closed" not in response.content.decode()


def test_the_admin_answers_a_database_outage_with_a_chinese_503_page(admin_client):
    with mock.patch("registry.admin.places.PlaceAdmin.get_queryset", side_effect=OperationalError("lock timeout")):
        response = admin_client.get("/admin/registry/place/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "服务暂时不可用" in page and "请稍后重试" in page and "lock timeout" not in page


def test_a_database_outage_outside_drf_under_api_is_json_too(db, settings):
    """The middleware covers /api/ views that are not DRF's (and anything DRF lets through)."""
    from registry.db_errors import DatabaseUnavailableMiddleware
    from django.test import RequestFactory

    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/api/v1/anything/"), OperationalError("x"))
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert middleware.process_exception(RequestFactory().get("/api/v1/"), ValueError("x")) is None


def test_a_save_that_meets_a_database_outage_keeps_what_the_clerk_typed(admin_client):
    """Issue #12: the admin "shows a Chinese message and keeps what the clerk typed": the
    fields are listed and sent again unchanged with one button; nothing is lost."""
    from tests.admin.html_forms import parse

    change = "/admin/registry/place/add/"
    typed = {"name": "测试保留路", "origin": "一段很长的含义说明\n第二行", "note": "备注"}
    with mock.patch("registry.admin.places.PlaceAdmin.get_form", side_effect=OperationalError("lock timeout")):
        response = admin_client.post(change, typed, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "服务暂时不可用" in page and "lock timeout" not in page
    form = parse(page).forms[0]
    assert form.action == change
    data = form.data()
    for key, value in typed.items():
        assert data[key] == [value], key
        assert value.split("\n")[0] in page  # shown, not only hidden


def test_the_kept_entries_page_never_shows_or_keeps_a_password(db):
    from django.test import RequestFactory

    from registry.db_errors import DatabaseUnavailableMiddleware

    request = RequestFactory().post("/admin/login/", {"username": "clerk", "password": "s3cret-Pw-2026"})
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, OperationalError("x"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "s3cret-Pw-2026" not in page and "clerk" in page
