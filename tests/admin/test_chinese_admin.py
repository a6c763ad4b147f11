"""The Chinese admin shows no English: every page, for the superuser and for each role.

The scan logs in as a superuser and as a clerk, a reviewer and an approver, opens the
admin index and, for every model the user may see, its list, its add form, one
record's change form and that record's history page, and looks for English words in
what a person reads: the text of the page without scripts, styles and attribute
values (a code kept in a ``title=`` tooltip is fine), plus the labels of buttons and
placeholders. A code is allowed where it is deliberately shown in full-width
parentheses right after its Chinese label, as in 录入员（clerk） or 外语词（洋）（FOREIGN）;
bare English is flagged.

The rest of the file checks what the scan cannot see: the admin's JavaScript catalog
(the two-box selector's texts), Django's own admin templates, every model and choice
label, every change reason written by the code, role and permission labels, and the
BCE display of partial dates (with the stored values and the API unchanged).
"""

from __future__ import annotations

import importlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from simple_history.admin import SimpleHistoryAdmin

from registry import choices, partial_dates
from registry.admin.auth import ROLE_LABELS, permission_label, role_label
from registry.admin.history import CHANGE_REASON_LABELS, change_reason_label
from registry.validation.findings import RULES

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
ROLES = importlib.import_module("registry.migrations.0007_workflow_groups").ROLES
# Chinese user names: the header greets the user by name, and "admin" or "clerk" there
# would be English the scan rightly flags.
USER_NAMES = {"superuser": "管理员", "clerk": "录入员小王", "reviewer": "审核员小李", "approver": "审批人老张"}
CJK = re.compile(r"[\u3400-\u9fff]")

# --- What counts as English --------------------------------------------------

_CODES = {
    value
    for enum in (
        choices.Category,
        choices.PlaceStatus,
        choices.NameKind,
        choices.DivisionLevel,
        choices.HeritageScheme,
        choices.HeritageLevel,
        choices.HeritageStatus,
        choices.Verification,
        choices.ProposalAction,
        choices.ProposalState,
    )
    for value in enum.values
}
FORBIDDEN = sorted(
    {
        # workflow states and steps
        "draft",
        "submitted",
        "in_review",
        "public_notice",
        "start_review",
        "start_notice",
        "approved",
        "rejected",
        "withdrawn",
        *choices.TRANSITION_LABELS,
        # change reasons as stored
        "create",
        "update",
        "rename",
        "retire",
        "approval",
        "import",
        "admin",
        "opened",
        "closed",
        "record name",
        "heritage listing",
        # simple_history's and Django's own words when a catalog misses them
        "CHANGES",
        "None",
        "entry",
        "entries",
        "Object",
        "Comment",
        "Created",
        "Changed",
        "Deleted",
        "Model name",
        "link",
        "Error",
        "Add",
        "Change",
        "Save",
        "Delete",
        "History",
        "Filter",
        "Search",
        "Choose",
        "Remove",
        "Available",
        "Chosen",
        "Yes",
        "No",
        "Unknown",
        "Select",
        "Show",
        "Hide",
        "Today",
        "Now",
        "Clear",
        "Home",
        "Welcome",
        "Log out",
        "password",
        "user",
        "group",
        "Token",
        "Key",
        "the",
        "and",
        "of",
        "by",
        "with",
        "for",
        # roles and permissions
        "approver",
        "clerk",
        "reviewer",
        "Can add",
        "Can change",
        "Can view",
        "Can delete",
        "Can draft",
        "Can review",
        "Can approve",
        # model and field names
        "Code counters",
        "code counter",
        "revision",
        "prefix",
        "place",
        "places",
        "name",
        "names",
        "history",
        "division",
        "heritage",
        "listing",
        "proposal",
        "code",
        "status",
        "kind",
        "source",
        "note",
        "reason",
        "rules",
        "term",
        "active",
        "severity",
        "category",
        "level",
        "scheme",
        "verification",
        "word list",
        # settings and codes
        "Registry",
        "Historical",
        "REGISTRY_NOTICE_DAYS",
        *RULES,
        *_CODES,
        "error",
        "warning",
        "exaggerated",
        "foreign",
        "feudal",
        "vulgar",
        "commercial",
        "person",
        # django-axes' words (the 登录锁定 pages)
        "Attempted Access",
        "access attempt",
        "Failed Logins",
        "Username",
        "IP Address",
        "Axes",
        "locked",
    },
    key=lambda w: (-len(w), w),
)
_FORBIDDEN = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(re.escape(w) for w in FORBIDDEN) + r")(?![A-Za-z0-9_])", re.IGNORECASE
)
# A code shown on purpose: in full-width parentheses right after Chinese (or after another such pair).
_LABELLED_CODE = re.compile(r"(?<=[\u3400-\u9fff）])（[A-Za-z0-9_ ,:.\-*]+）")


class _VisibleText(HTMLParser):
    """The text a person reads: no scripts, styles or attribute values (but button labels and
    placeholders), no form contents (textareas hold records' free text, not the interface)."""

    SKIP = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self, skip_classes=()):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.skip_classes = set(skip_classes)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = tag in self.SKIP or bool(self.skip_classes & set((attrs.get("class") or "").split()))
        if tag not in {"br", "img", "input", "meta", "link", "hr", "col", "source"}:
            self.stack.append((tag, skipped))
            self.skip_depth += skipped
        if self.skip_depth:
            return
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"} and attrs.get("value"):
            self.parts.append(attrs["value"])
        if attrs.get("placeholder"):
            self.parts.append(attrs["placeholder"])

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, skipped = self.stack.pop()
            self.skip_depth -= skipped
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


def visible_text(html: str, skip_classes=()) -> str:
    parser = _VisibleText(skip_classes)
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def english_words(text: str) -> list[str]:
    """Each forbidden word found, with a little context."""
    text = _LABELLED_CODE.sub(" ", text)
    return [f"{m.group(0)!r} in …{text[max(0, m.start() - 25) : m.end() + 25]}…" for m in _FORBIDDEN.finditer(text)]


@pytest.mark.parametrize(
    "text,found",
    [
        ("录入员（clerk）", []),
        ("外语词（洋）（FOREIGN）", []),
        ("clerk", ["clerk"]),
        ("状态：draft", ["draft"]),
        ("规则 FOREIGN", ["FOREIGN"]),
        ("修改原因 rename: closed", ["rename", "closed"]),
        ("CHANGES", ["CHANGES"]),
        ("None", ["None"]),
        ("Can add place", ["Can add", "place"]),
        ("Changjiang Zhonglu 340104R00012", []),  # pinyin and codes are data, not English
    ],
)
def test_the_scan_flags_bare_english_and_allows_labelled_codes(text, found):
    assert [hit.split("'")[1] for hit in english_words(text)] == found


def test_visible_text_leaves_out_scripts_attributes_and_form_contents():
    html = (
        '<p title="draft">提交</p><script>var x = "None";</script><style>.a{}</style>'
        '<textarea>free text the clerk typed</textarea><input type="submit" value="Save">'
        '<td class="field-reason">approved airport name</td>'
    )
    assert visible_text(html, skip_classes={"field-reason"}) == "提交 Save"


# --- Who sees which pages ----------------------------------------------------


class _Who:
    """A stand-in user for deciding, when tests are collected, which pages a role is shown."""

    is_active = is_staff = True

    def __init__(self, role: str):
        self.role = role
        self.is_superuser = role == "superuser"

    def has_perm(self, perm, obj=None) -> bool:
        if self.is_superuser:
            return True
        app_label, _sep, codename = perm.partition(".")
        return app_label == "registry" and codename in ROLES[self.role]

    def has_module_perms(self, app_label) -> bool:
        return self.is_superuser or app_label == "registry"


class _Request:
    def __init__(self, role):
        self.user = _Who(role)
        self.GET, self.POST, self.method = {}, {}, "GET"


def pages_for(role: str) -> list[str]:
    """The index and, per model the role may see, its list, add form, a change form and (for the
    superuser, whose history pages are the same as anyone's) a history page."""
    request = _Request(role)
    pages = ["index"]
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower):
        label = model._meta.label_lower
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append(f"{label}:changelist")
        if model_admin.has_add_permission(request):
            pages.append(f"{label}:add")
        pages.append(f"{label}:change")
        if role == "superuser":
            pages.append(f"{label}:history")
            if isinstance(model_admin, SimpleHistoryAdmin):
                pages.append(f"{label}:simple_history")  # one past version, as simple_history shows it
    return pages


def _params():
    for role in USER_NAMES:
        for page in pages_for(role):
            yield pytest.param(role, page, id=f"{role}-{page}")


# --- The records the pages show ------------------------------------------------


def _build_records() -> dict[str, object]:
    """A small registry made through the services, with every kind of audit entry."""
    from registry.models import AllowListEntry, CategoryCode, CodeCounter, Division, WordListEntry
    from registry.services.heritage import heritage_listing_create, heritage_listing_save
    from registry.services.places import name_record, place_create, place_rename, place_retire, place_update
    from registry.services.proposals import objection_respond, proposal_create, proposal_transition
    from registry.services.tokens import token_issue

    User = get_user_model()
    superuser = User.objects.create_superuser(USER_NAMES["superuser"], password="pw-superuser")
    users = {"superuser": superuser}
    for role in ROLES:
        user = User.objects.create_user(USER_NAMES[role], password=f"pw-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        users[role] = User.objects.get(pk=user.pk)
    api_token, _secret = token_issue(user=superuser)
    chaohu, baohe = Division.objects.get(code="340181"), Division.objects.get(code="340111")

    # 柘皋: a town whose name is recorded since 484 BCE (橐皋, 《春秋》), listed as a 千年古镇.
    zhegao = place_create(name="柘皋镇", category="town", division=chaohu, named_on="1956", acting_user=superuser)
    tuogao = name_record(
        place=zhegao,
        name="橐皋",
        kind="historical",
        valid_from="-0484",
        valid_to="1955",
        source="《春秋》",
        acting_user=users["clerk"],
    )
    listing = heritage_listing_create(
        place=zhegao,
        scheme="ancient_town",
        level="provincial",
        status="listed",
        listed_on="2016",
        in_use_since=-484,
        first_recorded_name="橐皋",
        acting_user=users["clerk"],
    )
    listing.batch = "第一批"
    heritage_listing_save(listing=listing, acting_user=users["clerk"])

    # A road renamed by hand, edited in the admin, then renamed again by an approved proposal.
    road = place_create(name="左圣宫巷", category="road", division=baohe, named_on="1900", acting_user=superuser)
    place_rename(place=road, new_name="官盐街", effective="1950", acting_user=superuser)
    place_update(place=road, acting_user=superuser, reason="admin", note="合肥老城街巷")
    place_update(place=road, acting_user=superuser, reason="import --update", source="合肥市地名志")
    proposal = proposal_create(
        action="rename", place=road, name="庐江路", reason="以安徽省庐江县命名", drafted_by=users["clerk"]
    )
    proposal_transition(proposal=proposal, transition="submit", acting_user=users["clerk"])
    proposal_transition(proposal=proposal, transition="start_review", acting_user=users["reviewer"])
    proposal_transition(proposal=proposal, transition="start_notice", acting_user=users["reviewer"], days=0)
    proposal_transition(proposal=proposal, transition="object", acting_user=users["reviewer"], text="附近已有同名道路")
    objection_respond(
        objection=proposal.objections.get(), response="经核查附近无同名道路，不予采纳。", acting_user=users["reviewer"]
    )
    proposal = proposal_transition(
        proposal=proposal,
        transition="approve",
        acting_user=users["approver"],
        authority="合肥市人民政府",
        document_number="合政秘〔2026〕1号",
        decided_on=timezone.localdate().isoformat(),
    )
    proposal_create(action="rename", place=zhegao, name="柘皋", reason="恢复古称", drafted_by=users["clerk"])

    retired = place_create(name="测试销名巷", category="road", division=baohe, acting_user=superuser)
    place_retire(place=retired, effective="2020", acting_user=superuser)
    from registry.importers.records import Upload, run_import
    from registry.models import ImportRecord

    path = REPO / "tests" / "data" / "imports" / "good_utf8.csv"
    run_import(Upload(path=path, file_name=path.name, via="admin"), legacy=True, acting_user=users["clerk"])

    word = WordListEntry.objects.filter(word_list="exaggerated").order_by("pk").first()
    word.active = False
    word.save()
    allowed = AllowListEntry.objects.get(term="延乔路")
    allowed.rules = "PERSON_NAME,EXAGGERATED"
    allowed.save()

    # A bank entry entered, then flagged: the registry approved a place of its name since.
    from registry.models import NameBankEntry
    from registry.services.name_bank import bank_entry_save, bank_recheck

    bank = bank_entry_save(
        entry=NameBankEntry(
            name="紫云路", category="road", division=baohe, series="紫云系列", source="包河区路网命名规划"
        ),
        acting_user=users["clerk"],
    )
    place_create(name="紫云路", category="road", division=baohe, acting_user=superuser)
    bank_recheck(acting_user=users["reviewer"])
    bank.refresh_from_db()

    from axes.models import AccessAttempt

    lockout = AccessAttempt.objects.create(
        username="测试用户",
        ip_address="203.0.113.9",
        user_agent="Mozilla/5.0",
        failures_since_start=5,
        get_data="",
        post_data="username=x",
        http_accept="*/*",
        path_info="/admin/login/",
    )

    from registry.models import DivisionBoundary

    boundary = DivisionBoundary.objects.create(
        division=baohe,
        west=117.25,
        south=31.7,
        east=117.4,
        north=31.85,
        source="测试边界",
        geometry={
            "type": "Polygon",
            "coordinates": [[[117.25, 31.7], [117.4, 31.7], [117.4, 31.85], [117.25, 31.85], [117.25, 31.7]]],
        },
    )

    from registry.services.rounds import round_create, round_item_add, round_item_step, round_transition

    round_ = round_create(title="测试命名批次", organisers="合肥市民政局", drafted_by=users["clerk"])
    round_item_add(
        round_=round_,
        acting_user=users["clerk"],
        action="name",
        name="栖梧一路",
        category="road",
        division=baohe,
        reason="新建道路",
        details={"start": "甲路", "end": "乙路"},
    )
    round_item_add(
        round_=round_,
        acting_user=users["clerk"],
        action="name",
        name="栖梧三路",
        category="road",
        division=baohe,
        reason="新建道路",
    )
    round_transition(round_=round_, transition="submit", acting_user=users["clerk"])
    round_item_step(item=round_.items.get(position=2), step="defer", acting_user=users["reviewer"])

    return {
        "registry.round": round_,
        "registry.rounditem": round_.items.get(position=1),
        "registry.roundevent": round_.events.last(),
        "axes.accessattempt": lockout,
        "registry.divisionboundary": boundary,
        "auth.user": users["clerk"],
        "auth.group": Group.objects.get(name="clerk"),
        "registry.apitoken": api_token,
        "registry.division": baohe,
        "registry.categorycode": CategoryCode.objects.create(code="测试01", name="测试类别"),
        "registry.codecounter": CodeCounter.objects.order_by("prefix").first(),
        "registry.place": road,
        "registry.placename": tuogao,
        "registry.heritagelisting": listing,
        "registry.wordlistentry": word,
        "registry.allowlistentry": allowed,
        "registry.proposal": proposal,
        "registry.announcement": proposal.announcement,
        "registry.proposalevent": proposal.events.last(),
        "registry.objection": proposal.objections.first(),
        "registry.importrecord": ImportRecord.objects.first(),
        "registry.namebankentry": bank,
    }


def _url(page: str, records) -> str:
    if page == "index":
        return reverse("admin:index")
    label, kind = page.split(":")
    app_label, model_name = label.split(".")
    name = f"admin:{app_label}_{model_name}_{kind}"
    if kind in ("changelist", "add"):
        return reverse(name)
    record = records[label]
    if kind == "simple_history":
        return reverse(name, args=[record.pk, record.history.order_by("history_id").first().history_id])
    return reverse(name, args=[record.pk])


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Every page of every role, rendered once on records rolled back afterwards."""
    pages = {}
    with django_db_blocker.unblock(), translation.override("zh-hans"), transaction.atomic():
        records = _build_records()
        for role, name in USER_NAMES.items():
            client = Client()
            client.force_login(get_user_model().objects.get(username=name))
            for page in pages_for(role):
                # A version page only explains, on the history page, that versions are not restored.
                response = client.get(_url(page, records), follow=page.endswith(":simple_history"))
                pages[(role, page)] = (response.status_code, response.content.decode())
        transaction.set_rollback(True)
    return pages


# Records' free text is content, not the interface, and is left out of the scan where it is
# English by nature: a source cites titles, file names and URLs as they are. The seeded
# allow-list reasons and every word list's notes are Chinese (registry/validation/data/*.tsv) and scanned.
DATA_COLUMNS = {"field-source"}
SEED_DATA_COLUMNS: dict[str, set[str]] = {}


@pytest.mark.parametrize("role,page", list(_params()))
def test_no_english_on_the_chinese_admin_page(rendered, role, page):
    status, html = rendered[(role, page)]
    assert status == 200, f"{page} answered {status} for the {role}"
    found = english_words(visible_text(html, DATA_COLUMNS | SEED_DATA_COLUMNS.get(page, set())))
    assert not found, f"English on {page} for the {role}:\n" + "\n".join(found[:40])


# --- What the scan cannot see ------------------------------------------------

ADMIN_DIR = Path(admin.__file__).resolve().parent
_JS_CALL = re.compile(
    r"""\b(n?gettext|pgettext)\(\s*(['"])((?:\\.|(?!\2).)*)\2(?:\s*,\s*(['"])((?:\\.|(?!\4).)*)\4)?"""
)


def _js_msgids() -> set[str]:
    found = set()
    for path in (ADMIN_DIR / "static" / "admin" / "js").rglob("*.js"):
        if "vendor" in path.parts:
            continue
        for call in _JS_CALL.finditer(path.read_text(encoding="utf-8")):
            kind, _q, first, _q2, second = call.groups()
            first = first.replace("\\'", "'").replace('\\"', '"')
            found.add(f"{first}\x04{second}" if kind == "pgettext" else first)
    return found


def test_the_two_box_selector_and_every_admin_script_text_is_chinese(admin_client):
    """Django 5.2's zh_Hans JavaScript catalog lacks the selector's new texts ("Choose all %s" …);
    the project's djangojs catalog fills them in, and the admin's jsi18n view serves them."""
    script = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    missing = []
    for msgid in sorted(_js_msgids()):
        value = catalog.get(msgid)
        texts = value if isinstance(value, list) else [value]
        if value is None or not all(CJK.search(text or "") for text in texts):
            missing.append(msgid)
    assert "Choose all %s" in _js_msgids()  # the scan reads the scripts it should
    assert not missing, f"admin script texts without Chinese: {missing}"


_TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+context\s+(["'])(.*?)\3)?""")
_BLOCK_TAG = re.compile(r"\{%\s*blocktrans(?:late)?(.*?)%\}(.*?)\{%\s*(plural|endblocktrans(?:late)?)", re.S)


def test_every_text_of_django_admin_templates_is_chinese():
    """Django 5.2's admin templates have texts its zh_Hans catalog lacks (the index's "Model name",
    "Add link" for screen readers, "Error:"); the project's catalog has them."""
    missing = set()
    with translation.override("zh-hans"):
        for path in (ADMIN_DIR / "templates").rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for tag in _TRANSLATE_TAG.finditer(text):
                msgid, context = tag.group(2), tag.group(4)
                shown = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                if shown == msgid and re.search("[A-Za-z]{2}", msgid):
                    missing.add(msgid)
            for tag in _BLOCK_TAG.finditer(text):
                options, body, end = tag.groups()
                if "count" in options or end == "plural":
                    continue
                if "trimmed" in options:
                    body = " ".join(body.split())
                msgid = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body)
                if translation.gettext(msgid) == msgid and re.search("[A-Za-z]{2}", msgid):
                    missing.add(msgid)
    assert not missing, f"admin template texts without Chinese: {sorted(missing)}"


def _labels():
    """Every model name, field name and choice label of the registry, with where it comes from."""
    for model in apps.get_app_config("registry").get_models():
        opts = model._meta
        yield f"{opts.label}", opts.verbose_name
        yield f"{opts.label} (plural)", opts.verbose_name_plural
        if opts.label.startswith("registry.Historical"):
            continue  # simple_history's own columns (history_date …) are not shown as fields
        for field in opts.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created or field.name == "id":
                continue
            yield f"{opts.label}.{field.name}", field.verbose_name
            for value, label in field.flatchoices or ():
                yield f"{opts.label}.{field.name}={value}", label


def test_every_model_field_and_choice_label_of_the_registry_is_chinese():
    with translation.override("zh-hans"):
        english = [
            f"{where}: {label}" for where, label in _labels() if not CJK.search(str(label)) or english_words(str(label))
        ]
    assert not english, "labels without Chinese:\n" + "\n".join(english)


def test_the_admin_index_lists_only_chinese_model_names(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    names = [model["name"] for app in response.context["app_list"] for model in app["models"]]
    assert "编码计数器" in names
    assert [name for name in names if not CJK.search(str(name))] == []


_REASON_SOURCES = [
    re.compile(r"\b_(?:audit|save_name|save_place)\((.*)\)"),  # _save_name(record, user, "rename: closed")
    re.compile(r"\breason=(\"[^\"]+\")"),  # place_update(..., reason="approval")
    re.compile(r"\breason: str = (\"[^\"]+\")"),  # defaults: place_update's "update", copy_history's "import"
]


def _reasons_in_code() -> set[str]:
    reasons = {"draft", *choices.TRANSITION_LABELS}  # the workflow stamps each step's name on the proposal
    for path in (REPO / "registry").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for pattern in _REASON_SOURCES:
                for match in pattern.finditer(line):
                    reasons.update(re.findall(r'"([^"]+)"', match.group(1)))
    return reasons


def test_every_change_reason_the_code_writes_has_a_chinese_label():
    reasons = _reasons_in_code()
    assert {"create", "rename: closed", "record name", "approval", "import", "admin"} <= reasons
    with translation.override("zh-hans"):
        unlabelled = sorted(r for r in reasons if not CJK.search(change_reason_label(r)))
    assert not unlabelled, f"change reasons shown as stored codes: {unlabelled}"


@pytest.mark.parametrize(
    "reason,label",
    [
        ("create", "新建"),
        ("rename", "更名"),
        ("rename: closed", "更名（原名截止）"),
        ("approval", "批准"),
        ("import", "导入"),
        ("admin", "后台修改"),
        ("record name", "登记名称"),
        ("start_notice", "发布公示"),
        ("", "—"),
        (None, "—"),
        ("some future reason", "some future reason"),
    ],
)
def test_change_reason_labels(reason, label):
    with translation.override("zh-hans"):
        assert change_reason_label(reason) == label
    assert set(CHANGE_REASON_LABELS) >= {"create", "rename"}


def test_the_history_page_shows_reasons_and_values_in_chinese_and_keeps_the_codes(client, django_user_model, shushan):
    from registry.models import PlaceName
    from registry.services.heritage import heritage_listing_create, heritage_listing_save
    from registry.services.places import place_create, place_rename

    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    road = place_create(name="左圣宫巷", category="road", division=shushan, named_on="1900", acting_user=superuser)
    place_rename(place=road, new_name="庐江路", effective="1956", acting_user=superuser)
    old = PlaceName.objects.get(place=road, name="左圣宫巷")
    listing = heritage_listing_create(
        place=road, scheme="other", level="municipal", in_use_since=-484, acting_user=superuser
    )
    listing.in_use_since = -483
    heritage_listing_save(listing=listing, acting_user=superuser)
    client.force_login(superuser)

    page = client.get(reverse("admin:registry_placename_history", args=[old.pk])).content.decode()
    text = visible_text(page)
    assert "更名（原名截止）" in text and "新建" in text
    assert "名称类型： 标准名称 → 曾用名" in text  # choice labels, not official → former
    assert "停用： — → 1956年" in text  # an empty value as —, the date as people write it
    assert 'title="rename: closed"' in page  # the code stays in the tooltip …
    assert set(old.history.values_list("history_change_reason", flat=True)) == {
        "create",
        "rename: closed",
    }  # … and in the data
    listing_page = visible_text(
        client.get(reverse("admin:registry_heritagelisting_history", args=[listing.pk])).content.decode()
    )
    assert "前484年 → 前483年" in listing_page and "修改地名文化遗产" in listing_page


# --- Roles and permissions -------------------------------------------------------


def test_role_labels():
    with translation.override("zh-hans"):
        assert [role_label(code) for code in ("clerk", "reviewer", "approver", "数据组")] == [
            "录入员（clerk）",
            "审核员（reviewer）",
            "审批人（approver）",
            "数据组",
        ]
    with translation.override("en"):
        assert role_label("clerk") == "clerk"
    assert set(ROLE_LABELS) == set(ROLES)


def test_no_permission_is_shown_by_its_stored_english_name(db):
    """Django stores "Can add place"; every permission reads 地名 | 可以添加地名 instead, the
    workflow's own from the models' translated Meta.permissions."""
    with translation.override("zh-hans"):
        labels = {p.codename: permission_label(p) for p in Permission.objects.select_related("content_type")}
        assert labels["add_place"] == "地名 | 可以添加地名"
        assert labels["view_codecounter"] == "编码计数器 | 可以查看编码计数器"
        assert labels["submit_proposal"].startswith("地名申报 | ") and CJK.search(
            labels["submit_proposal"].split("|")[1]
        )
        english = [label for label in labels.values() if re.search(r"\bCan\b", label) or not CJK.search(label)]
    assert not english, english


def test_the_group_and_user_forms_label_roles_and_permissions_in_chinese(client, django_user_model):
    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    clerk = Group.objects.get(name="clerk")
    client.force_login(superuser)
    group_form = client.get(reverse("admin:auth_group_change", args=[clerk.pk])).context["adminform"].form
    assert "permissions" in group_form.fields and "name" not in group_form.fields  # a role keeps its code
    shown = dict(group_form.fields["permissions"].choices)
    add_place = Permission.objects.get(codename="add_place")
    assert shown[add_place.pk] == "地名 | 可以添加地名"
    user_form = client.get(reverse("admin:auth_user_change", args=[superuser.pk])).context["adminform"].form
    assert sorted(label for _pk, label in user_form.fields["groups"].choices) == sorted(
        ["录入员（clerk）", "审核员（reviewer）", "审批人（approver）"]
    )
    # Found by its Chinese label too; never deleted from the admin (the workflow looks it up by name).
    found = client.get(reverse("admin:auth_group_changelist"), {"q": "录入员"})
    assert [g.name for g in found.context["cl"].result_list] == ["clerk"]
    refused = client.get(reverse("admin:auth_group_delete", args=[clerk.pk]), follow=True)
    assert Group.objects.filter(name="clerk").exists()
    assert any("不能删除" in str(m) for m in refused.context["messages"])


def test_editing_a_role_in_the_admin_logs_its_label(client, django_user_model):
    from django.contrib.admin.models import LogEntry

    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    reviewer = Group.objects.get(name="reviewer")
    client.force_login(superuser)
    permissions = [str(pk) for pk in reviewer.permissions.values_list("pk", flat=True)][:-1]
    response = client.post(reverse("admin:auth_group_change", args=[reviewer.pk]), {"permissions": permissions})
    assert response.status_code == 302
    assert LogEntry.objects.get(object_id=str(reviewer.pk)).object_repr == "审核员（reviewer）"
    assert Group.objects.get(pk=reviewer.pk).name == "reviewer"


# --- Word lists and the allow-list ------------------------------------------------


def test_allow_list_rules_are_ticked_by_label_and_stored_as_codes(client, django_user_model):
    from registry.models import AllowListEntry

    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    client.force_login(superuser)
    form = client.get(reverse("admin:registry_allowlistentry_add")).context["adminform"].form
    assert dict(form.fields["rules"].choices)["FOREIGN"] == "外语词（洋）（FOREIGN）"
    response = client.post(
        reverse("admin:registry_allowlistentry_add"),
        {"term": "测试国际路", "rules": ["FOREIGN", "EXAGGERATED"], "reason": "测试", "source": "", "active": "on"},
    )
    assert response.status_code == 302
    entry = AllowListEntry.objects.get(term="测试国际路")
    assert entry.rule_set() == {"FOREIGN", "EXAGGERATED"}
    change = client.get(reverse("admin:registry_allowlistentry_change", args=[entry.pk])).context["adminform"].form
    assert sorted(change.initial["rules"]) == ["EXAGGERATED", "FOREIGN"]


def test_word_list_sources_and_kinds_read_as_labels():
    from registry.admin.lexicon import kind_label, rules_label, source_label

    with translation.override("zh-hans"):
        assert source_label("common-usage; other-list:Zhengzhou") == "通用译名；其他城市整治名单（郑州）"
        assert source_label("Hangzhou; Chengdu") == "杭州整治名单；成都整治名单"
        assert source_label("DOMAIN.md §8.4") == "DOMAIN.md §8.4"  # free text as it is
        assert kind_label("brand-style") == "品牌式用词"
        assert rules_label("FOREIGN,EXAGGERATED") == "外语词（洋）、夸大（大）"
        assert rules_label("*") == "全部词表规则"


# --- Dates before the common era -------------------------------------------------


@pytest.mark.parametrize(
    "stored,chinese,english",
    [
        ("-0484", "前484年", "484 BCE"),
        (-484, "前484年", "484 BCE"),
        ("-0484-03", "前484年3月", "484-03 BCE"),
        ("1956", "1956年", "1956"),
        ("1956-03", "1956年3月", "1956-03"),
        ("1956-03-01", "1956年3月1日", "1956-03-01"),
        ("", "", ""),
        (None, "", ""),
        ("not a date", "not a date", "not a date"),  # shown as stored rather than hidden
    ],
)
def test_partial_dates_are_displayed_as_people_write_them(stored, chinese, english):
    with translation.override("zh-hans"):
        assert partial_dates.display(stored) == chinese
    with translation.override("en"):
        assert partial_dates.display(stored) == english


def test_bce_dates_read_qian_in_the_admin_and_stay_iso_in_the_data_and_the_api(client, django_user_model):
    from registry.models import Division, HeritageListing, PlaceName
    from registry.services.heritage import heritage_listing_create
    from registry.services.places import name_record, place_create

    superuser = django_user_model.objects.create_superuser("管理员", password="pw-superuser")
    town = place_create(name="柘皋镇", category="town", division=Division.objects.get(code="340181"), named_on="1956")
    name_record(place=town, name="橐皋", kind="historical", valid_from="-0484", valid_to="1955")
    listing = heritage_listing_create(
        place=town,
        scheme="ancient_town",
        level="provincial",
        status="listed",
        listed_on="2016",
        in_use_since=-484,
        first_recorded_name="橐皋",
    )
    client.force_login(superuser)

    names = visible_text(client.get(reverse("admin:registry_placename_changelist"), {"q": "橐皋"}).content.decode())
    assert "前484年" in names and "-0484" not in names
    listings = visible_text(client.get(reverse("admin:registry_heritagelisting_changelist")).content.decode())
    assert "前484年" in listings and "2016年" in listings
    place_page = visible_text(client.get(reverse("admin:registry_place_change", args=[town.pk])).content.decode())
    assert "前484年" in place_page  # the names-history inline
    name = PlaceName.objects.get(name="橐皋")
    shown = client.get(reverse("admin:registry_placename_change", args=[name.pk]))  # read-only for everyone
    labels = [field.field["label"] for fieldset in shown.context["adminform"] for line in fieldset for field in line]
    assert len(labels) == len(set(labels)) and "前484年" in visible_text(shown.content.decode())
    # Stored and served as before.
    assert PlaceName.objects.get(name="橐皋").valid_from == "-0484"
    assert HeritageListing.objects.get(pk=listing.pk).in_use_since == -484
    api = client.get(f"/api/v1/places/{town.code}/", HTTP_ACCEPT="application/json").json()
    assert "-0484" in json.dumps(api)


def test_an_empty_value_reads_a_dash_everywhere():
    assert admin.site.empty_value_display == "—"
