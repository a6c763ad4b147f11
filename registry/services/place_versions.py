"""The version of a place a clerk or a client saw, and what changed since (optimistic concurrency).

Two clerks editing the same place used to both succeed, the later save silently writing
back what the earlier one had changed. A form (and an API client) now carries the
version it was built from; a save based on an older version is refused with who
changed what and when, and nothing is written.

The version needs no column of its own: every write to a place or one of its names
stamps the row with the transaction's ``revision``, which is handed out in commit order
(see ``registry.freshness``), so the largest revision of the place and its names moves
exactly when either changes. The token also carries the newest audit-entry ids of the
place and of its names, so that a refusal can list the audit entries written since.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Place, PlaceName

# Fields of the audit trail that say nothing a clerk changed (derived or bookkeeping).
_NOT_SHOWN = frozenset(
    {
        "updated_at",
        "created_at",
        "finding_level",
        "finding_rules",
        "pinyin_key",
        "initials",
        "name_key",
        "specific",
        "generic",
        "valid_from_key",
        "valid_to_key",
    }
)


class StaleVersion(ValidationError):
    """A save based on a version of the place that is no longer current; the message says what changed."""

    def __init__(self, message: str, current: str):
        super().__init__(message, code="stale_version")
        self.current = current


def _top(queryset, group: str, field: str):
    """The largest ``field`` of ``queryset`` (correlated to the outer place), 0 if none."""
    return Coalesce(Subquery(queryset.order_by().values(group).annotate(top=Max(field)).values("top")[:1]), 0)


def _now_of(**lookup) -> tuple[int, int, int] | None:
    """(largest revision, newest place audit id, newest names audit id) in one query, or None."""
    row = (
        Place.objects.filter(**lookup)
        .annotate(
            names_revision=_top(PlaceName.objects.filter(place_id=OuterRef("pk")), "place_id", "revision"),
            place_audit=_top(Place.history.filter(id=OuterRef("pk")), "id", "history_id"),
            names_audit=_top(PlaceName.history.filter(place_id=OuterRef("pk")), "place_id", "history_id"),
        )
        .values_list("revision", "names_revision", "place_audit", "names_audit")
        .first()
    )
    if row is None:
        return None
    return max(row[0], row[1]), row[2], row[3]


def _now(place_id: int) -> tuple[int, int, int]:
    return _now_of(pk=place_id) or (0, 0, 0)


def version_of(place: Place) -> str:
    """The token of what ``place`` and its names are now: ``revision.place-audit.names-audit``."""
    return ".".join(str(part) for part in _now(place.pk))


def version_of_code(code: str) -> str | None:
    """``version_of`` for the place with ``code`` (one query), None if there is none."""
    now = _now_of(code=code)
    return None if now is None else ".".join(str(part) for part in now)


def _parse(token: str) -> tuple[int, int, int] | None:
    try:
        revision, place_audit, names_audit = (int(part) for part in str(token).strip().split("."))
    except (TypeError, ValueError):
        return None
    return revision, place_audit, names_audit


def is_current(place: Place, token: str) -> bool:
    """Whether ``token`` (from ``version_of``) still describes ``place`` and its names.

    Any part moving means a change: the revision (commit-ordered across processes) or an
    audit entry (which also tells apart two writes inside one transaction).
    """
    seen = _parse(token)
    return seen is not None and all(now <= then for now, then in zip(_now(place.pk), seen))


def check_version(place: Place, token: str | None) -> None:
    """Refuse (``StaleVersion``) a write based on ``token`` if the place or its names changed since.

    No token (an old client, a script) is no check. A token that cannot be read is refused:
    it is not the version of anything.
    """
    if token in (None, ""):
        return
    if _parse(token) is None:
        raise StaleVersion(
            _(
                "The version of the place this save is based on (“%(token)s”) is not one the registry "
                "gave out; open the place again."
            )
            % {"token": str(token)[:40]},
            version_of(place),
        )
    if not is_current(place, token):
        raise StaleVersion(stale_message(place, token), version_of(place))


def _who(entry) -> str:
    user = entry.history_user
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _when(entry) -> str:
    return timezone.localtime(entry.history_date).strftime("%Y-%m-%d %H:%M:%S")


def _labels(model, entry) -> list[str]:
    """The verbose names of the fields ``entry`` changed against the entry before it."""
    before = entry.prev_record
    if before is None:
        return []
    delta = entry.diff_against(before, excluded_fields=_NOT_SHOWN)
    return [str(model._meta.get_field(change.field).verbose_name) for change in delta.changes]


def _describe(model, entry) -> str:
    who, when = _who(entry), _when(entry)
    reason = entry.history_change_reason or ""
    if model is Place:
        if reason == "rename":
            return _("%(when)s %(who)s renamed it to “%(name)s”") % {"when": when, "who": who, "name": entry.name}
        fields = _labels(Place, entry)
        if fields:
            return _("%(when)s %(who)s changed %(fields)s") % {"when": when, "who": who, "fields": "、".join(fields)}
        return _("%(when)s %(who)s saved it (%(reason)s)") % {"when": when, "who": who, "reason": reason or "—"}
    if entry.history_type == "+":
        return _("%(when)s %(who)s recorded the name “%(name)s” (%(kind)s)") % {
            "when": when,
            "who": who,
            "name": entry.name,
            "kind": entry.get_kind_display(),
        }
    fields = _labels(PlaceName, entry)
    return _("%(when)s %(who)s changed the name “%(name)s” (%(fields)s)") % {
        "when": when,
        "who": who,
        "name": entry.name,
        "fields": "、".join(fields) or reason or "—",
    }


def changes_since(place: Place, token: str, limit: int = 6) -> list[str]:
    """The audit entries of the place and its names written after ``token``, oldest first."""
    seen = _parse(token) or (0, 0, 0)
    entries = [
        (Place, e)
        for e in Place.history.filter(id=place.pk, history_id__gt=seen[1])
        .select_related("history_user")
        .order_by("-history_id")[:limit]
    ]
    entries += [
        (PlaceName, e)
        for e in PlaceName.history.filter(place_id=place.pk, history_id__gt=seen[2])
        .select_related("history_user")
        .order_by("-history_id")[:limit]
    ]
    entries.sort(key=lambda pair: pair[1].history_date)
    # The rename's own entries on the names ("rename: closed/opened") repeat the place's.
    shown = [
        _describe(model, e)
        for model, e in entries
        if not (model is PlaceName and (e.history_change_reason or "").startswith("rename"))
    ]
    return shown[-limit:]


def stale_message(place: Place, token: str) -> str:
    """The refusal: who changed what and when since the version ``token``, and what to do."""
    changes = changes_since(place, token)
    listed = "；".join(changes) if changes else _("the place or its names were changed by another save")
    return _(
        "%(place)s was changed by someone else after you opened it: %(changes)s. Nothing of your save was "
        "written; your entries are kept: compare them with the current values and save again."
    ) % {"place": f"{place.name}（{place.code}）", "changes": listed}


def stale_rename(proposal) -> str | None:
    """Why a rename proposal cannot be approved as it stands: the place was renamed after its
    drafter last stood by it (drafted, corrected or submitted it), so it would rename a name
    nobody proposed to change. None if the place still carries the name it had then."""
    if proposal.action != "rename" or not proposal.place_id:
        return None
    moment = proposal.events.filter(transition__in=("draft", "update", "submit")).aggregate(top=Max("at"))["top"]
    place = Place.objects.get(pk=proposal.place_id)
    then = (
        Place.history.filter(id=place.pk, history_date__lte=moment).order_by("-history_date", "-history_id").first()
        if moment
        else None
    )
    if then is None or then.name == place.name:
        return None
    renames = Place.history.filter(id=place.pk, history_date__gt=moment, history_change_reason="rename")
    rename = renames.select_related("history_user").order_by("-history_id").first()
    return _(
        "%(place)s was renamed to “%(name)s” (%(when)s, %(who)s) after this proposal was drafted against "
        "“%(old)s”: return it for revision so that the drafter checks it against the current name."
    ) % {
        "place": place.code,
        "name": place.name,
        "old": then.name,
        "when": _when(rename) if rename else "—",
        "who": _who(rename) if rename else "—",
    }


def stale_round_items(items, moment) -> list[tuple[int, str]]:
    """The rename and retirement items of a round whose place changed name after ``moment``
    (the round's submission): (item number, why), for every such item at once.

    The notice told the public that “X” would be renamed or retired; if another decision
    renamed the place since, approving the item would change a name nobody proposed to
    change (``stale_rename`` says the same of a single proposal)."""
    items = [item for item in items if item.action in ("rename", "retire") and item.place_id]
    if not items or moment is None:
        return []
    then: dict[int, str] = {}
    past = Place.history.filter(id__in={item.place_id for item in items}, history_date__lte=moment)
    for place_id, name in past.order_by("id", "-history_date", "-history_id").values_list("id", "name"):
        then.setdefault(place_id, name)
    stale = []
    for item in items:
        old, now = then.get(item.place_id), item.place.name
        if old is not None and old != now:
            stale.append(
                (
                    item.position,
                    _(
                        "%(place)s was renamed from “%(old)s” to “%(name)s” after the round was submitted: "
                        "withdraw or defer this item and propose the change again against the current name."
                    )
                    % {"place": item.place.code, "old": old, "name": now},
                )
            )
    return stale
