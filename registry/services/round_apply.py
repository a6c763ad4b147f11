"""A round's decision applied to the registry, and its one announcement (公告).

Called inside the approval's transaction (``round_steps.approve``): every approved item
changes the registry through the places services (a new place created with its code, all
of the round's at once by ``place_batches.places_create``; a rename closing the old name and opening the
new; a retirement), each with the round's
authority, document number and date on the names it opens or closes; each item records
the place it changed, what the announcement says of it (``announced``, frozen) and an
``apply`` event in the round's timeline naming the place, so the audit trail of every
changed record leads back to the round. The announcement is numbered from the same
yearly counter as a proposal's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import Place, Round, RoundAnnouncement, RoundEvent, RoundItem
from registry.models.places import CATEGORY_LETTERS
from registry.models.rounds import ItemOutcome
from registry.services import codes
from registry.services import place_batches
from registry.services import places as place_services
from simple_history.utils import bulk_update_with_history
from registry.services.announcements import announcement_number, division_path, next_serial, place_location

ACTION_WORDS = {"name": "naming", "rename": "renaming", "retire": "retirement"}


def _approval(round_: Round, announced_on: dt.date) -> dict:
    return {
        "approval_authority": round_.authority,
        "approval_date": round_.decided_on,
        "approval_document": round_.document_number,
        "announcement_date": announced_on,
    }


def _apply_item(round_: Round, item: RoundItem, user, announced_on: dt.date) -> Place | dict:
    """The item's change: a renamed or retired place, written; or a new place's entry for
    ``place_batches.places_create``, which writes every new place of the round at once after the loop."""
    decision = {"decision_document": round_.document_number, "decision_date": round_.decided_on}
    if item.action == "name":
        spatial = {k: getattr(item, k) for k in ("longitude", "latitude", "geometry") if getattr(item, k) is not None}
        return {
            "code": getattr(item, "allocated_code", ""),
            "name": item.name,
            "category": item.category,
            "division": item.division,
            "pinyin": item.pinyin,
            "named_on": round_.decided_on,
            "origin": item.origin,
            "details": item.details or {},
            **spatial,
            **decision,
            **_approval(round_, announced_on),
        }
    if item.action == "rename":
        place = place_services.place_rename(
            place=item.place,
            new_name=item.name,
            effective=round_.decided_on,
            acting_user=user,
            pinyin=item.pinyin,
            **decision,
        )
        return place_services.place_update(
            place=place,
            acting_user=user,
            reason="approval",
            **_approval(round_, announced_on),
            **({"origin": item.origin} if item.origin else {}),
        )
    return place_services.place_retire(place=item.place, effective=round_.decided_on, acting_user=user, **decision)


def _announced(item: RoundItem, place: Place, old_name: str, paths: dict) -> dict:
    if place.division_id not in paths:  # the same few divisions for a thousand items
        paths[place.division_id] = division_path(place.division)
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "standard_name": place.name,
            "old_name": old_name if item.action == "rename" else "",
            "pinyin": place.pinyin,
            "category": str(place.get_category_display()),
            "code": place.code,
            "division": paths[place.division_id],
            "location": place_location(place),
            "action": item.action,
        }


def announcement_title(actions) -> str:
    """地名命名、更名公告: the announcement's title from the actions it lists, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        words = [_(ACTION_WORDS[action]) for action in ACTION_WORDS if action in set(actions)]
        return _("Place-name %(actions)s announcement") % {"actions": "、".join(words)}


def _allocate_codes(items: list[RoundItem]) -> None:
    """The new places' codes, handed out per prefix at once, in item order (``allocated_code``).

    The same codes one ``allocate_code`` per item would give (the same locked counter,
    taken codes skipped), for one counter lock per prefix instead of five queries a place.
    """
    by_prefix: dict[str, list[RoundItem]] = defaultdict(list)
    for item in items:
        if item.action == "name":
            by_prefix[f"{item.division.code[:6]}{CATEGORY_LETTERS[item.category]}"].append(item)
    allocated = codes.allocate_code_batches({prefix: len(members) for prefix, members in by_prefix.items()})
    for prefix, members in by_prefix.items():
        for item, code in zip(members, allocated[prefix], strict=True):
            item.allocated_code = code


def apply_round(round_: Round, items: list[RoundItem], user) -> RoundAnnouncement:
    issued_on, events, paths = timezone.localdate(), [], {}
    _allocate_codes(items)
    old_names = {item.position: item.place.name if item.place_id else "" for item in items}
    applied, new = {}, []
    for item in items:
        change = _apply_item(round_, item, user, issued_on)
        if isinstance(change, Place):
            applied[item.position] = change
        else:
            new.append((item, change))
    created = place_batches.places_create([entry for _item, entry in new], acting_user=user)
    for (item, _entry), place in zip(new, created, strict=True):
        applied[item.position] = place
    for item in items:
        place, old_name = applied[item.position], old_names[item.position]
        item.place, item.outcome = place, ItemOutcome.APPROVED
        item.announced, item.updated_at = _announced(item, place, old_name, paths), timezone.now()
        events.append(
            RoundEvent(
                round=round_,
                item=item,
                transition="apply",
                from_state=ItemOutcome.PENDING,
                to_state=ItemOutcome.APPROVED,
                actor=user,
                note=f"{place.code} {old_name + ' → ' if old_name else ''}{place.name}"[:2000],
            )
        )
    bulk_update_with_history(
        items,
        RoundItem,
        ["place", "outcome", "announced", "override_reason", "updated_at"],
        batch_size=500,
        default_user=user,
        default_change_reason="approve",
    )
    RoundEvent.objects.bulk_create(events, batch_size=500)
    serial = next_serial(issued_on.year)
    return RoundAnnouncement.objects.create(
        round=round_,
        number=announcement_number(issued_on.year, serial),
        year=issued_on.year,
        serial=serial,
        title=announcement_title(item.action for item in items),
        authority=round_.authority,
        document_number=round_.document_number,
        approved_on=round_.decided_on,
        issuing_authority=getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", ""),
        issued_on=issued_on,
    )


ANNOUNCEMENT_COLUMNS = ("number", "standard_name", "old_name", "pinyin", "category", "division", "location")


def announcement_rows(round_: Round) -> list[dict]:
    """The announcement's table: one row per approved item, in item order."""
    rows = []
    for number, item in enumerate(round_.items.filter(outcome=ItemOutcome.APPROVED).order_by("position"), start=1):
        rows.append(
            {
                "number": number,
                **{k: item.announced.get(k, "") for k in ANNOUNCEMENT_COLUMNS[1:]},
                "action": item.announced.get("action", item.action),
                "code": item.announced.get("code", ""),
                "item": item.position,
            }
        )
    return rows
