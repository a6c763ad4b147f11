"""Writes to the name bank (地名储备库): the one path for the admin, the API, the importer and rounds.

Every entry is judged by the name checker when it is entered or edited, in its intended
scope: a name with an error is refused with the findings, unless a written reason says
why it is kept all the same (its error rules are then accepted, and only a new error
flags it later). Taking a name for a proposal or a round item marks it used, once.
The registry moves on after an entry is made (a place of that name is approved, the
word lists change): ``bank_recheck`` judges every holding entry again and flags the
ones that now have an error, with the finding; ``bank_expire`` ends the entries past
their expiry date. Every write leaves a history row (who, and a reason code labelled
in ``registry/admin/history.py``) and moves the ``name_bank`` revision, so each
process's RESERVED lookup (``validation.reserved``) sees it on its next check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import NameBankEntry
from registry.models.name_bank import HOLDING, BankStatus
from registry import freshness
from registry.services.places import User, _audit
from registry.text import clean_name
from registry.validation import CheckResult, check_name
from registry.validation.findings import summarize
from registry.validation.normalize import name_key
from registry.validation.reserved import REVISION

#: Change reasons (codes, as every audit entry stores them; labelled in registry/admin/history.py).
BANK_CREATE, BANK_UPDATE = "name bank: create", "name bank: update"
BANK_TAKE, BANK_EXPIRE = "name bank: take", "name bank: expire"
BANK_FLAG, BANK_CLEAR, BANK_RECHECK = "name bank: flag", "name bank: clear", "name bank: re-check"


def bank_check(entry: NameBankEntry) -> CheckResult:
    """The name check of ``entry`` in its intended scope, without the entry's own RESERVED finding."""
    result = check_name(entry.name, entry.category, division=entry.division_id, pinyin=entry.pinyin)
    own = [f for f in result.findings if f.rule == "RESERVED" and entry.pk and f.params.get("entry") == entry.pk]
    return CheckResult(name=result.name, pinyin=result.pinyin, findings=[f for f in result.findings if f not in own])


def _stored_findings(result: CheckResult) -> list[dict]:
    """The findings as the entry keeps them: in Chinese, as the bureau reads them later."""
    with translation.override("zh-hans"):
        return [f.as_dict() for f in result.findings]


def _holding_status(entry: NameBankEntry, today=None) -> str:
    today = today or timezone.localdate()
    if entry.expires_on is not None and entry.expires_on < today:
        return BankStatus.EXPIRED
    return BankStatus.RESERVED if entry.reserved_for.strip() else BankStatus.AVAILABLE


def _record(entry: NameBankEntry, result: CheckResult) -> None:
    entry.findings = _stored_findings(result)
    entry.finding_level = summarize(result.findings)[0]
    entry.checked_at = timezone.now()


def _write(entry: NameBankEntry, acting_user: User, reason: str) -> NameBankEntry:
    _audit(entry, acting_user, reason)
    entry.save()
    freshness.lock(REVISION)
    return entry


def _refuse_used(entry: NameBankEntry) -> None:
    if not entry.pk:
        return
    stored = NameBankEntry.objects.select_for_update().filter(pk=entry.pk).values_list("status", flat=True).first()
    if stored == BankStatus.USED:
        raise ValidationError(
            _("This bank name has been used (%(used_for)s); a used entry is kept as it is.")
            % {"used_for": entry.used_for or "—"}
        )


def _refuse_held(entry: NameBankEntry, result: CheckResult) -> None:
    """One entry per name and scope: another holding entry of the name refuses this one."""
    held = [f for f in result.findings if f.rule == "RESERVED"]
    if held:
        raise ValidationError(
            {
                "name": _("“%(name)s” is already in the name bank in this scope (entry %(entry)s).")
                % {"name": entry.name, "entry": held[0].params["entry"]}
            }
        )


@transaction.atomic
def bank_entry_save(
    *, entry: NameBankEntry, acting_user: User = None, override_reason: str = "", reason: str = ""
) -> NameBankEntry:
    """Validate, check and save a new or edited bank entry.

    Refused (``ValidationError``, nothing written): a used entry (its name is taken), a
    missing source, a name whose check has an error and no ``override_reason``.
    """
    _refuse_used(entry)
    entry.name = clean_name(entry.name)
    entry.full_clean(exclude=["status"])
    result = bank_check(entry)
    _refuse_held(entry, result)
    override_reason = (override_reason or "").strip()
    if result.errors and not override_reason:
        raise ValidationError(
            {
                "name": [f.message for f in result.errors]
                + [_("Choose another name, or give the reason for keeping it despite these errors.")]
            }
        )
    entry.pinyin = entry.pinyin or result.pinyin
    entry.name_key = name_key(entry.name, entry.category)
    entry.override_reason = override_reason if result.errors else ""
    entry.accepted_rules = ",".join(sorted({f.rule for f in result.errors}))
    _record(entry, result)
    entry.status = _holding_status(entry)
    return _write(entry, acting_user, reason or (BANK_UPDATE if entry.pk else BANK_CREATE))


@transaction.atomic
def bank_take(entry: NameBankEntry, *, for_what: str, user: User) -> NameBankEntry:
    """Mark ``entry`` used for ``for_what`` (a proposal, a round item, a project). A name is taken once:
    an entry already used, expired or flagged is refused and stays as it is."""
    for_what = (for_what or "").strip()
    if not for_what:
        raise ValidationError({"for_what": _("Say what the bank name is taken for (a proposal or a round item).")})
    entry = NameBankEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == BankStatus.USED:
        raise ValidationError(
            _("“%(name)s” was already taken from the name bank for %(used_for)s on %(date)s.")
            % {
                "name": entry.name,
                "used_for": entry.used_for,
                "date": timezone.localtime(entry.used_at).date() if entry.used_at else "—",
            }
        )
    if entry.status == BankStatus.FLAGGED:
        raise ValidationError(
            _("“%(name)s” is flagged in the name bank (%(rules)s): check it again before taking it.")
            % {"name": entry.name, "rules": "、".join(f["message"] for f in entry.findings) or "—"}
        )
    if entry.status == BankStatus.EXPIRED or _holding_status(entry) == BankStatus.EXPIRED:
        raise ValidationError(
            _("“%(name)s” expired in the name bank on %(date)s; renew the entry before taking it.")
            % {"name": entry.name, "date": entry.expires_on}
        )
    entry.status, entry.used_for, entry.used_at = BankStatus.USED, for_what[:200], timezone.now()
    return _write(entry, user, BANK_TAKE)


@transaction.atomic
def bank_expire(*, today=None, acting_user: User = None) -> list[NameBankEntry]:
    """End every holding entry whose expiry date has passed; the expired entries."""
    today = today or timezone.localdate()
    expired = list(NameBankEntry.objects.select_for_update().filter(status__in=HOLDING, expires_on__lt=today))
    for entry in expired:
        entry.status = BankStatus.EXPIRED
        _write(entry, acting_user, BANK_EXPIRE)
    return expired


@dataclass
class Recheck:
    """What a re-check found: entries judged, newly flagged, cleared again (their errors gone)."""

    checked: int = 0
    flagged: list[NameBankEntry] = field(default_factory=list)
    cleared: list[NameBankEntry] = field(default_factory=list)


def _recheck_reason(was: str, status: str) -> str:
    if status == BankStatus.FLAGGED:
        return BANK_FLAG
    if status == BankStatus.EXPIRED:
        return BANK_EXPIRE
    return BANK_CLEAR if was == BankStatus.FLAGGED else BANK_RECHECK


@transaction.atomic
def bank_recheck(*, acting_user: User = None, entries=None) -> Recheck:
    """Judge the holding and flagged entries again against the registry as it is now.

    An entry with an error it was not entered with (it became a duplicate of a name the
    registry approved since, a word list changed) is flagged with the findings; a
    flagged entry whose errors are gone holds its name again. ``entries``: a queryset
    to limit the re-check to (the admin's selection); by default every entry.
    """
    queryset = NameBankEntry.objects.all() if entries is None else entries
    report = Recheck()
    unchanged = []
    for entry in queryset.select_for_update().filter(status__in=(*HOLDING, BankStatus.FLAGGED)).order_by("pk"):
        report.checked += 1
        result = bank_check(entry)
        accepted = set(filter(None, entry.accepted_rules.split(",")))
        new_errors = {f.rule for f in result.errors} - accepted
        status = BankStatus.FLAGGED if new_errors else _holding_status(entry)
        findings = _stored_findings(result)
        if status == entry.status and findings == entry.findings:
            unchanged.append(entry.pk)
            continue
        was = entry.status
        _record(entry, result)
        entry.status = status
        if status == BankStatus.FLAGGED:
            report.flagged.append(entry)
        elif was == BankStatus.FLAGGED:
            report.cleared.append(entry)
        _write(entry, acting_user, _recheck_reason(was, status))
    # Judged and found as before: the date of the check, without a history row each.
    NameBankEntry.objects.filter(pk__in=unchanged).update(checked_at=timezone.now())
    return report
