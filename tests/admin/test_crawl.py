"""Crawl the admin as each role and use it the way its users do.

Logged in as a clerk, a reviewer, an approver (staff users in those groups) and a
superuser, the crawl opens every admin page: the index, each app's index, every change
list, every add form, change form, history page and delete page of each model, and
every custom view. The pages are not a hand-written list: they come from the admin
site's registry and each ModelAdmin's ``get_urls()``, so a model or view added to the
admin is crawled without touching this file (a view whose URL takes parameters this
file cannot fill makes its own case fail, asking for them in ``custom_variants()``).

What must hold:
- no page answers 5xx;
- a page the role may reach answers 200; one it may not is refused (403, or a
  redirect with a message), never an error page;
- every change form re-posted exactly as rendered (what a browser sends when the user
  presses 保存 without touching anything) saves: a redirect and a success message; where
  the role may not change the record, the post is refused (403 or a redirect with a
  message). A form that comes back with errors fails with those errors printed;
- each workflow step's page opens on a proposal in a state it starts from, and posting
  it as rendered takes the step exactly when the role may take it and the form needs
  nothing more;
- the import page takes back what the export wrote (a dry run) and shows its result;
- an earlier version on a history page is shown and never written back;
- every filter and sort link of every change list opens; an id typed by hand into a
  change, history or delete URL is a 404 or a redirect with a message.

No case is marked as an expected failure: a page that fails is a bug to fix.

The data: the Hefei demo (``load_demo``, 310 places with names history and heritage
listings), the word lists from the migrations, one proposal in every state (through
``services.proposals``), hence an announcement, events, an objection and a code counter.
It is loaded once for this module (about 4 s) inside a transaction that is rolled back
at the end; each case runs in its own savepoint on top of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from urllib.parse import parse_qs

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from registry.choices import ProposalState
from registry.models import (
    AllowListEntry,
    CategoryCode,
    HeritageListing,
    NameBankEntry,
    Objection,
    Place,
    Proposal,
    WordListEntry,
)
from registry.services.proposals import allowed_transitions, proposal_create, proposal_transition
from registry.workflow import ROUND_STEPS, STEPS
from tests.admin.html_forms import Page, parse

ROLES = ("clerk", "reviewer", "approver", "superuser")
STANDARD_VIEWS = ("changelist", "add", "change", "history", "delete")


# ---------------------------------------------------------------------------------------
# The data, once per module
# ---------------------------------------------------------------------------------------


@dataclass
class Seed:
    users: dict = field(default_factory=dict)
    proposals: dict = field(default_factory=dict)  # state → Proposal
    places: dict = field(default_factory=dict)  # label → Place
    rounds: dict = field(default_factory=dict)  # state → Round


def _make_seed() -> Seed:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from registry.services.tokens import token_issue

    # The demo without its boundaries for now: the census import below has a test point in
    # 包河区 that Hefei's real outlines put in 庐阳区; they are loaded after it.
    call_command("load_demo", boundaries="", stdout=StringIO())
    seed = Seed()
    User = get_user_model()
    for role in ROLES[:3]:
        user = User.objects.create_user(role, password=f"{role}-pass", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    User.objects.create_superuser("superuser", "boss@example.org", "superuser-pass")
    seed.users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    token_issue(user=seed.users["clerk"])
    # A login lock-out (django-axes' row of failures) for the 登录锁定 pages.
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="intruder",
        ip_address="203.0.113.9",
        user_agent="crawler",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
    )
    # The bureau fills GB/T 18521 codes itself; the crawl needs one row to open its form.
    CategoryCode.objects.create(code="TEST1", name="测试类别")
    # The word lists come from a migration, without history rows: one edit each gives them one.
    for model in (WordListEntry, AllowListEntry):
        model.objects.order_by("pk").first().save()
    # The name bank: an entry that holds its name, one kept despite an error, one taken.
    from registry.services.name_bank import bank_entry_save, bank_take

    bank = [
        bank_entry_save(
            entry=NameBankEntry(
                name=name, category="road", division_id="340104", series="紫云系列", source="蜀山区路网命名规划（测试）"
            ),
            override_reason=reason,
        )
        for name, reason in (("栖凤路", ""), ("金寨路", "规划保留：原路将更名"), ("青枫路", ""))
    ]
    bank_take(bank[2], for_what="命名批次测试项", user=None)

    clerk, reviewer, approver = (seed.users[r] for r in ROLES[:3])
    actors = {
        "submit": clerk,
        "start_review": reviewer,
        "start_notice": reviewer,
        "object": reviewer,
        "approve": approver,
        "reject": approver,
        "withdraw": clerk,
    }
    roads = list(Place.objects.filter(category="road", status="active").order_by("code")[:6])

    def walk(steps, **create):
        proposal = proposal_create(drafted_by=clerk, reason="便于群众识别，统一街巷名称", **create)
        for step in steps:
            data = {
                "start_notice": {"days": 0},
                "object": {"text": "附近居民来信：建议保留旧名"},
                "reject": {"reason": "不符合命名规则"},
                "approve": {
                    "authority": "合肥市人民政府",
                    "document_number": "合政秘〔2026〕9号",
                    "decided_on": timezone.localdate(),
                },
            }.get(step, {})
            proposal = proposal_transition(proposal=proposal, transition=step, acting_user=actors[step], **data)
        return proposal

    old = settings.REGISTRY_NOTICE_DAYS
    seed.proposals = {
        ProposalState.DRAFT: walk([], action="rename", place=roads[0], name="望岳路"),
        ProposalState.SUBMITTED: walk(["submit"], action="rename", place=roads[1], name="翠竹路"),
        ProposalState.IN_REVIEW: walk(["submit", "start_review"], action="rename", place=roads[2], name="听泉路"),
        ProposalState.PUBLIC_NOTICE: walk(
            ["submit", "start_review", "start_notice", "object"], action="rename", place=roads[3], name="揽月路"
        ),
        ProposalState.APPROVED: walk(
            ["submit", "start_review", "start_notice", "approve"],
            action="name",
            name="栖霞路",
            category="road",
            division=roads[4].division,
        ),
        ProposalState.REJECTED: walk(["submit", "reject"], action="retire", place=roads[5]),
        ProposalState.WITHDRAWN: walk(["withdraw"], action="rename", place=roads[0], name="观澜路"),
    }
    seed.rounds = _round_seed(clerk, reviewer, approver, roads)
    settings.REGISTRY_NOTICE_DAYS = old
    assert {p.state for p in seed.proposals.values()} == set(ProposalState.values)
    seed.places = {
        "road": Place.objects.filter(category="road", names__kind="former")
        .exclude(details={})
        .order_by("code")
        .first(),
        "heritage": Place.objects.filter(heritage_listings__isnull=False).order_by("code").first(),
    }
    assert all(seed.places.values()), seed.places
    assert HeritageListing.objects.exists()
    # One completed import, for the import records' pages.
    from pathlib import Path

    from registry.importers.records import Upload, run_import

    census = Path(__file__).resolve().parents[1] / "data" / "imports" / "good_utf8.csv"
    assert run_import(Upload(path=census, file_name=census.name, via="admin"), legacy=True, acting_user=clerk).ok
    # Division boundaries, as load_demo imports them (fixtures/hefei_boundaries.geojson).
    from registry.models import DivisionBoundary

    call_command("load_demo", stdout=StringIO())
    assert DivisionBoundary.objects.filter(division_id="340104").exists()
    return seed


def _round_seed(clerk, reviewer, approver, roads) -> dict:
    """Naming rounds in the states their steps start from, one with an objection to an item, one
    approved (hence its announcement)."""
    from registry.services.rounds import round_create, round_item_add, round_item_step, round_transition

    actors = {"submit": clerk, "start_review": reviewer, "start_notice": reviewer, "approve": approver}
    data = {
        "start_notice": {"days": 0},
        "approve": {
            "authority": "合肥市人民政府",
            "document_number": "合政秘〔2026〕10号",
            "decided_on": timezone.localdate(),
        },
    }
    rounds = {}
    for state, steps in [
        (ProposalState.DRAFT, []),
        (ProposalState.SUBMITTED, ["submit"]),
        (ProposalState.IN_REVIEW, ["submit", "start_review"]),
        (ProposalState.PUBLIC_NOTICE, ["submit", "start_review", "start_notice"]),
        (ProposalState.APPROVED, ["submit", "start_review", "start_notice", "approve"]),
    ]:
        round_ = round_create(title=f"测试批次（{state}）", organisers="合肥市民政局", drafted_by=clerk)
        for name in ("栖梧一路", "栖梧二路", "栖梧四路"):
            round_item_add(
                round_=round_,
                acting_user=clerk,
                action="name",
                name=f"{name}",
                category="road",
                division=roads[4].division,
                reason="新建道路",
            )
        round_item_add(
            round_=round_, acting_user=clerk, action="rename", place=roads[5], name="栖梧五路", reason="规范更名"
        )
        for step in steps:
            round_ = round_transition(round_=round_, transition=step, acting_user=actors[step], **data.get(step, {}))
        rounds[state] = round_
    notice = rounds[ProposalState.PUBLIC_NOTICE]
    round_item_step(item=notice.items.get(position=1), step="object", acting_user=reviewer, text="建议保留旧名")
    round_item_step(item=notice.items.get(position=2), step="defer", acting_user=reviewer)
    return rounds


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _make_seed()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_role(seed, db):
    """A logged-in client for a role, with CSRF checks on (a re-post must carry the page's token)."""

    def make(role: str) -> Client:
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(seed.users[role])
        return client

    return make


def _request(seed: Seed, role: str):
    request = RequestFactory().get("/admin/")
    request.user = type(seed.users[role]).objects.get(pk=seed.users[role].pk)  # a fresh permission cache
    return request


# ---------------------------------------------------------------------------------------
# What to crawl, from the admin itself
# ---------------------------------------------------------------------------------------


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


# Objects to open for each model: label → how to find it. Every model gets "first";
# some get the records that exercise more of their form.
SAMPLES: dict[str, dict[str, Callable[[Seed], object]]] = {
    "registry.place": {"road": lambda s: s.places["road"], "heritage": lambda s: s.places["heritage"]},
    "registry.proposal": {state: (lambda s, state=state: s.proposals[state]) for state in ProposalState.values},
    "auth.user": {"clerk": lambda s: s.users["clerk"]},
    "registry.namebankentry": {
        state: (lambda s, state=state: NameBankEntry.objects.filter(status=state).order_by("pk").first())
        for state in ("available", "used")
    }
    | {"kept despite an error": lambda s: NameBankEntry.objects.exclude(override_reason="").first()},
}


def samples(model) -> dict[str, Callable[[Seed], object]]:
    return SAMPLES.get(_label(model)) or {"first": lambda s, model=model: model._default_manager.order_by("pk").first()}


def _first_history_id(model, obj) -> int | None:
    row = model.history.filter(**{model._meta.pk.attname: obj.pk}).order_by("history_id").first()
    return row.history_id if row else None


@dataclass(frozen=True)
class Variant:
    """One way to fill a custom view's URL: its arguments and query string, from the seed."""

    label: str
    resolve: Callable[[Seed], tuple[list, str]]


def _transition_variants() -> list[Variant]:
    # Each step on a proposal in the first state it may leave.
    return [Variant(step, lambda s, step=step: ([s.proposals[STEPS[step].sources[0]].pk, step], "")) for step in STEPS]


def _export_variants() -> list[Variant]:
    formats = [
        ("csv", ""),
        ("xlsx", ""),
        ("json", ""),
        ("geojson", ""),
        ("xlsx", "kind=heritage"),
        ("geojson", "kind=heritage"),
    ]  # listings have no GeoJSON: a 404, not an error
    return [
        Variant(f"{fmt}{'-heritage' if query else ''}", lambda s, fmt=fmt, query=query: ([fmt], query))
        for fmt, query in formats
    ]


def _history_variants(model) -> list[Variant]:
    return [
        Variant(label, lambda s, find=find, model=model: ([find(s).pk, _first_history_id(model, find(s))], ""))
        for label, find in samples(model).items()
    ]


def _autocomplete_variants() -> list[Variant]:
    variants = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            query = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}&field_name={name}&term=合"
            variants.append(Variant(f"{_label(model)}.{name}", lambda s, query=query: ([], query)))
    return variants


def custom_variants(url_name: str, model) -> list[Variant] | None:
    """How to fill the parameters of a custom view; None when this file does not know."""
    if url_name == "registry_proposal_transition":
        return _transition_variants()
    if url_name == "registry_proposal_announcement":
        return [
            Variant("approved", lambda s: ([s.proposals[ProposalState.APPROVED].pk], "")),
            Variant("draft", lambda s: ([s.proposals[ProposalState.DRAFT].pk], "")),
        ]
    if url_name == "registry_proposal_respond":  # answering an objection (from the workflow additions)

        def objection(s):
            proposal = s.proposals[ProposalState.PUBLIC_NOTICE]
            return [proposal.pk, proposal.objections.order_by("pk").first().pk], ""

        return [Variant("public_notice", objection)]
    if url_name == "registry_round_respond":  # answering an objection to a round's item

        def item_objection(s):
            round_ = s.rounds[ProposalState.PUBLIC_NOTICE]
            return [round_.pk, Objection.objects.filter(item__round=round_).order_by("pk").first().pk], ""

        return [Variant("public_notice", item_objection)]
    if url_name in ("registry_rounditem_edit", "registry_rounditem_remove"):  # a draft's item: its drafter's

        def draft_item(s):
            item = s.rounds[ProposalState.DRAFT].items.order_by("pk").first()
            return [item.pk], ""

        def decided_item(s):
            return [s.rounds[ProposalState.APPROVED].items.order_by("pk").first().pk], ""

        return [Variant("draft", draft_item), Variant("approved", decided_item)]
    if url_name == "registry_round_step":
        return [
            Variant(step, lambda s, step=step: ([s.rounds[ROUND_STEPS[step].sources[0]].pk, step], ""))
            for step in ROUND_STEPS
        ]
    if url_name == "registry_round_announcement":
        return [
            Variant(state, lambda s, state=state: ([s.rounds[state].pk], ""))
            for state in (ProposalState.APPROVED, ProposalState.DRAFT)
        ]
    if url_name == "registry_place_export":
        return _export_variants()
    if url_name.endswith("_simple_history") and model is not None:
        return _history_variants(model)
    if url_name == "auth_user_password_change":
        return [Variant("clerk", lambda s: ([s.users["clerk"].pk], ""))]
    if url_name == "app_list":
        labels = sorted({m._meta.app_label for m in admin.site._registry})
        return [Variant(label, lambda s, label=label: ([label], "")) for label in labels]
    if url_name == "autocomplete":
        return _autocomplete_variants()
    return None


# Site views left out, with the reason.
SKIPPED_SITE_VIEWS = {
    "logout": "ends the session (POST only)",
    "view_on_site": "no registered model has get_absolute_url",
    "index": "crawled as its own case",
}


def _named_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def _takes_parameters(pattern: URLPattern) -> bool:
    return pattern.pattern.regex.groups > 0


@dataclass(frozen=True)
class Case:
    kind: str  # index, standard, repost, custom
    model: type | None = None
    view: str = ""  # changelist, add … or the custom URL name
    sample: str = ""
    variant: Variant | None = None

    @property
    def id(self) -> str:
        parts = [self.kind]
        if self.model is not None:
            parts.append(_label(self.model))
        if self.kind == "custom" or self.kind == "standard":
            parts.append(self.view)
        parts.append(self.sample or (self.variant.label if self.variant else ""))
        # e.g. "repost-registry.place-road", "custom-registry.proposal-registry_proposal_transition-approve"
        return "-".join(p for p in parts if p)


def discover() -> list[Case]:
    cases = [Case("index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        standard = {f"{opts.app_label}_{opts.model_name}_{view}" for view in STANDARD_VIEWS}
        for view in ("changelist", "add"):
            cases.append(Case("standard", model, view))
        for label in samples(model):
            for view in ("history", "delete"):  # the change form is opened by its re-post case
                cases.append(Case("standard", model, view, sample=label))
            cases.append(Case("repost", model, "change", sample=label))
        for pattern in _named_patterns(model_admin.get_urls()):
            if pattern.name in standard:
                continue
            cases.extend(_custom_cases(pattern, model))
    for pattern in _named_patterns(admin.site.get_urls()):
        if pattern.name in SKIPPED_SITE_VIEWS or any(
            pattern.name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_") for m in admin.site._registry
        ):
            continue
        cases.extend(_custom_cases(pattern, None))
    return cases


def _custom_cases(pattern: URLPattern, model) -> list[Case]:
    variants = custom_variants(pattern.name, model)
    if variants is None:
        if _takes_parameters(pattern):
            return [Case("custom", model, pattern.name, variant=Variant("UNFILLED", lambda s: (None, "")))]
        variants = [Variant("", lambda s: ([], ""))]
    return [Case("custom", model, pattern.name, variant=v) for v in variants]


def _params():
    params = []
    for role in ROLES:
        for case in discover():
            params.append(pytest.param(role, case, id=f"{role}-{case.id}"))
    return params


# ---------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------


def _url(case: Case, obj=None) -> str:
    opts = case.model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{case.view}"
    return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)


def _may_reach(case: Case, model_admin, request, obj=None) -> bool:
    if case.view == "add":
        return model_admin.has_add_permission(request)
    if case.view == "delete":
        return model_admin.has_delete_permission(request, obj)
    return model_admin.has_view_or_change_permission(request, obj)


def _describe(response, page: Page | None = None) -> str:
    page = page or (parse(response.content) if "html" in response.get("Content-Type", "") else Page())
    return (
        f"status {response.status_code}, location {response.get('Location')!r}, messages {page.messages}, "
        f"errors {page.errors[:10]}"
    )


def _assert_refused(response, client) -> None:
    """A refusal: 403, or a redirect to a page that says why (never a bare error)."""
    if response.status_code == 403:
        return
    assert response.status_code == 302, _describe(response)
    location = response["Location"]
    if "/admin/login/" in location:
        return  # the admin's own refusal for a user without access to the site
    landing = client.get(location, follow=True)
    if landing.status_code == 403:
        return  # sent on to a page the role may not see either: still a refusal
    page = parse(landing.content)
    refusals = [text for level, text in page.messages if level in ("error", "warning")]
    assert landing.status_code == 200 and refusals, f"refused without saying why: {_describe(landing, page)}"


def _check_standard(role: str, case: Case, seed: Seed, client: Client) -> None:
    model_admin = admin.site._registry[case.model]
    request = _request(seed, role)
    obj = samples(case.model)[case.sample](seed) if case.sample else None
    if case.sample:
        assert obj is not None, f"no {_label(case.model)} to open: the seed should create one"
    url = _url(case, obj)
    response = client.get(url)
    assert response.status_code < 500, f"GET {url}: {_describe(response)}"
    if _may_reach(case, model_admin, request, obj):
        assert response.status_code == 200, f"GET {url} as {role}: {_describe(response)}"
    elif case.view == "delete":
        _assert_refused(response, client)
    else:
        assert response.status_code == 403, f"GET {url} as {role} (no permission): {_describe(response)}"


def _check_repost(role: str, case: Case, seed: Seed, client: Client) -> None:
    model_admin = admin.site._registry[case.model]
    request = _request(seed, role)
    obj = samples(case.model)[case.sample](seed)
    assert obj is not None, f"no {_label(case.model)} to open: the seed should create one"
    url = _url(case, obj)
    response = client.get(url)
    assert response.status_code < 500, f"GET {url}: {_describe(response)}"
    if not model_admin.has_view_or_change_permission(request, obj):
        assert response.status_code == 403, f"GET {url} as {role} (no permission): {_describe(response)}"
        return
    assert response.status_code == 200, f"GET {url} as {role}: {_describe(response)}"
    page = parse(response.content)
    form = page.form(f"{case.model._meta.model_name}_form")
    assert form is not None, f"{url} has no change form"
    button = "_save" if any(name == "_save" for name, _value in form.buttons) else None
    posted = client.post(form.action or url, form.data(button))
    client.force_login(seed.users[role])  # re-posting a user's own form could end the session
    assert posted.status_code < 500, f"POST {url} as rendered: {_describe(posted)}"
    if not model_admin.has_change_permission(request, obj):
        _assert_refused(posted, client)
        return
    assert posted.status_code == 302, f"POST {url} as rendered did not save: {_describe(posted)}"
    landing = client.get(posted["Location"])
    landed = parse(landing.content)
    levels = {level for level, _text in landed.messages}
    assert landing.status_code == 200 and "success" in levels and "error" not in levels, (
        f"POST {url} as rendered: {_describe(landing, landed)}"
    )


def _check_custom(role: str, case: Case, seed: Seed, client: Client) -> None:
    args, query = case.variant.resolve(seed)
    assert args is not None, (
        f"the admin view {case.view!r} takes URL parameters this crawl cannot fill: "
        f"add them to custom_variants() in {__name__}"
    )
    url = reverse(f"admin:{case.view}", args=args) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code < 500, f"GET {url} as {role}: {_describe(response)}"
    if case.view == "registry_proposal_transition":
        _check_transition_post(role, case, seed, client, url, response)
    if case.view == "registry_round_step":
        _check_round_step_post(role, case, seed, client, url, response)
    if case.view.endswith("_simple_history"):
        _check_history_version(role, case, seed, client, url, response)


def _check_history_version(role, case, seed, client, url, response) -> None:
    """An earlier version is shown and never written back (a revert would bypass the services)."""
    history = case.model.history
    before = history.count()
    if response.status_code == 200:
        form = parse(response.content).form(f"historical{case.model._meta.model_name}_form")
        assert form is not None, f"{url} has no form"
        posted = client.post(url, form.data())
    else:
        posted = client.post(url, {})
    assert posted.status_code < 500, f"POST {url} as {role}: {_describe(posted)}"
    _assert_refused(posted, client)
    assert history.count() == before, f"POST {url} as {role} wrote the record back"
    typed = client.get(url.rsplit("/", 2)[0] + "/not-a-version/")
    assert typed.status_code == 404, f"a version typed by hand: {_describe(typed)}"


def _check_transition_post(role, case, seed, client, url, response) -> None:
    """Post a workflow step's form as rendered: the step is taken exactly when it may be."""
    step = case.variant.label
    proposal = Proposal.objects.get(pk=case.variant.resolve(seed)[0][0])
    allowed = step in allowed_transitions(proposal, _request(seed, role).user)
    assert response.status_code == 200, f"GET {url} as {role}: {_describe(response)}"
    form = parse(response.content).form("transition-form")
    assert form is not None, f"{url} has no form"
    posted = client.post(url, form.data("confirm"))
    assert posted.status_code < 500, f"POST {url} as {role}: {_describe(posted)}"
    proposal.refresh_from_db()
    complete = not form.missing()  # nothing left for the user to fill in
    if allowed and complete:
        assert posted.status_code == 302 and proposal.state == STEPS[step].target, _describe(posted)
    else:
        assert proposal.state == STEPS[step].sources[0], f"{role} took {step!r} " + (
            "without the right to" if not allowed else "with fields left empty"
        )
        assert posted.status_code in (200, 302, 403), _describe(posted)


def _check_round_step_post(role, case, seed, client, url, response) -> None:
    """A round's step posted as rendered: taken exactly when the role may and the form needs nothing more."""
    from registry.models import Round
    from registry.services.rounds import allowed_round_transitions

    step = case.variant.label
    round_ = Round.objects.get(pk=case.variant.resolve(seed)[0][0])
    allowed = step in allowed_round_transitions(round_, _request(seed, role).user)
    assert response.status_code == 200, f"GET {url} as {role}: {_describe(response)}"
    form = parse(response.content).form("transition-form")
    assert form is not None, f"{url} has no form"
    posted = client.post(url, form.data("confirm"))
    assert posted.status_code < 500, f"POST {url} as {role}: {_describe(posted)}"
    round_.refresh_from_db()
    if allowed and not form.missing():
        assert posted.status_code == 302 and round_.state == ROUND_STEPS[step].target, _describe(posted)
    else:
        assert round_.state == ROUND_STEPS[step].sources[0], f"{role} took {step!r}"


@pytest.mark.parametrize("role,case", _params())
def test_every_admin_page(role, case, seed, as_role):
    client = as_role(role)
    if case.kind == "index":
        response = client.get(reverse("admin:index"))
        assert response.status_code == 200, _describe(response)
    elif case.kind == "standard":
        _check_standard(role, case, seed, client)
    elif case.kind == "repost":
        _check_repost(role, case, seed, client)
    else:
        _check_custom(role, case, seed, client)


# ---------------------------------------------------------------------------------------
# Round trips that need more than one page
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ("clerk", "superuser"))
def test_the_import_page_checks_what_the_export_wrote(role, seed, as_role, tmp_path):
    """Export the places as CSV, post the file to the import form as rendered (a dry run): a result, no 5xx.

    (Exporting the whole registry needs the export permission, which clerks do not have.)"""
    client = as_role(role)
    export = as_role("superuser").get(reverse("admin:registry_place_export", args=["csv"]))
    client = as_role(role)
    assert export.status_code == 200
    path = tmp_path / "places.csv"
    path.write_bytes(b"".join(export.streaming_content))
    url = reverse("admin:registry_place_import")
    page = client.get(url)
    assert page.status_code == 200
    form = parse(page.content).form("import-form")
    data = form.data()
    assert data.get("dry_run") == ["on"], "the import form should start as a dry run"
    with open(path, "rb") as fh:
        response = client.post(url, {**data, "file": fh})
    assert response.status_code == 200, _describe(response)
    assert 'id="import-result"' in response.content.decode(), _describe(response)


def test_every_custom_view_is_crawled():
    """Each named URL of the admin is crawled (or skipped with a reason), with its parameters filled."""
    crawled = {case.view for case in discover() if case.kind == "custom"}
    for pattern in _named_patterns(admin.site.get_urls()):
        if pattern.name in SKIPPED_SITE_VIEWS:
            continue
        standard = re.match(r"^[a-z_]+_(changelist|add|change|history|delete)$", pattern.name)
        assert standard or pattern.name in crawled, pattern.name
    unfilled = [case.id for case in discover() if case.variant is not None and case.variant.label == "UNFILLED"]
    assert not unfilled, f"custom views whose parameters the crawl cannot fill: {unfilled}"


def test_the_crawl_covers_every_registered_model():
    ids = {case.id for case in discover()}
    for model in admin.site._registry:
        assert f"standard-{_label(model)}-changelist" in ids
        assert any(i.startswith(f"repost-{_label(model)}-") for i in ids)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=_label)
def test_every_filter_and_sort_link_of_a_change_list_answers(model, seed, as_role):
    """Every filter and sort link a change list renders onto itself opens, as the superuser.

    (Further pages are left out: the same view with another offset, and the slowest lists.)
    """
    client = as_role("superuser")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    page = parse(client.get(url).content)
    own = sorted({link for link in page.links if link.startswith("?") and "p" not in parse_qs(link[1:])})
    for link in own:
        response = client.get(url + link)
        assert response.status_code == 200, f"GET {url}{link}: {_describe(response)}"


def _typed_params():
    params = []
    for model in admin.site._registry:
        for view in ("change", "history", "delete"):
            params.append(pytest.param(model, view, id=f"{_label(model)}-{view}"))
    return params


@pytest.mark.parametrize("model,view", _typed_params())
def test_an_id_typed_by_hand_is_not_found_rather_than_an_error(model, view, seed, as_role):
    """/admin/…/abc/change/, …/abc/history/, …/abc/history/1/: a 404 or a redirect with a message, never a 5xx."""
    client = as_role("superuser")
    opts = model._meta
    urls = [f"/admin/{opts.app_label}/{opts.model_name}/{bad}/{view}/" for bad in ("abc", "1%20x", "999999999")]
    if view == "history" and hasattr(model, "history"):
        urls += [
            f"/admin/{opts.app_label}/{opts.model_name}/abc/history/1/",
            f"/admin/{opts.app_label}/{opts.model_name}/999999999/history/1/",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 404), f"GET {url}: {_describe(response)}"
        if response.status_code == 302:
            _assert_refused(response, client)
