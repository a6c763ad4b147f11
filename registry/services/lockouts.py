"""Login lock-outs (django-axes): which user names and addresses are locked, until when; lifting one.

django-axes keeps one row per (user name, address, browser) with its failure count and
the time of its latest failure (``AccessAttempt``). With ``AXES_LOCKOUT_PARAMETERS =
["username", "ip_address"]`` a user name is locked when its rows' failures within the
last ``AXES_COOLOFF_TIME`` add up to ``AXES_FAILURE_LIMIT``, and so, separately, is an
address. Failures during a lock-out are not recorded
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so:

- a lock-out began at its rows' latest failure (the one that reached the limit);
- it ends when enough rows have aged past the cool-off for the rest to fall below the
  limit: the oldest rows drop out first (``_until``).

``lockout_lift`` is the one write path (the admin's 解除锁定 action uses it): it removes
the rows of that user name or address through axes' own reset API, and leaves an audit
entry twice over, because axes' models carry no django-simple-history: a WARNING on the
``registry.audit`` logger, and an entry in Django's admin log (``LogEntry``: who, when,
which lock-out, how many rows), which the admin index lists under 最近动作.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

logger = logging.getLogger("registry.audit")

USERNAME, ADDRESS = "username", "ip_address"
#: What a lock-out is on, as people read it.
KIND_LABELS = {USERNAME: pgettext_lazy("lock-out", "user name"), ADDRESS: pgettext_lazy("lock-out", "address")}


@dataclass(frozen=True)
class Lockout:
    kind: str  # USERNAME or ADDRESS
    value: str
    failures: int  # within the cool-off
    since: dt.datetime
    until: dt.datetime

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} {self.value}"


def cool_off() -> dt.timedelta:
    return get_cool_off() or dt.timedelta(0)


def failure_limit() -> int:
    return int(axes_settings.AXES_FAILURE_LIMIT)


def _kinds() -> list[str]:
    """The lock-out parameters this page understands (each one on its own, as configured)."""
    parameters = axes_settings.AXES_LOCKOUT_PARAMETERS
    return [p for p in parameters if p in (USERNAME, ADDRESS)] if isinstance(parameters, list) else []


def _until(rows: list[tuple[dt.datetime, int]], limit: int, window: dt.timedelta) -> dt.datetime:
    """When a locked group's rows, the oldest first dropping out of the window, fall below the limit."""
    remaining = sum(n for _at, n in rows)
    for at, n in sorted(rows):
        remaining -= n
        if remaining < limit:
            return at + window
    return max(at for at, _n in rows) + window  # not reached while locked; defensive


def active_lockouts(now: dt.datetime | None = None) -> dict[tuple[str, str], Lockout]:
    """Every lock-out in force now: (kind, value) → Lockout."""
    now = now or timezone.now()
    window, limit = cool_off(), failure_limit()
    rows = AccessAttempt.objects.filter(attempt_time__gte=now - window).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    )
    groups: dict[tuple[str, str], list[tuple[dt.datetime, int]]] = defaultdict(list)
    kinds = _kinds()
    for username, address, at, failures in rows:
        for kind, value in ((USERNAME, username), (ADDRESS, address)):
            if kind in kinds and value:
                groups[(kind, value)].append((at, failures))
    found = {}
    for (kind, value), group in groups.items():
        total = sum(n for _at, n in group)
        if total >= limit:
            found[(kind, value)] = Lockout(
                kind, value, total, max(at for at, _n in group), _until(group, limit, window)
            )
    return found


def lockouts_of(attempt: AccessAttempt, lockouts: dict[tuple[str, str], Lockout]) -> list[Lockout]:
    """The lock-outs a row of failures is part of (its user name's, its address's)."""
    keys = [(USERNAME, attempt.username), (ADDRESS, attempt.ip_address)]
    return [lockouts[key] for key in keys if key in lockouts]


@transaction.atomic
def lockout_lift(*, kind: str, value: str, acting_user) -> int:
    """Lift the lock-out of a user name or an address now; returns the rows of failures removed.

    Refused (ValueError) for a kind other than a user name or an address. Lifting what
    is not locked still clears its failures (nothing else changes) and is audited alike.
    """
    if kind not in KIND_LABELS:
        raise ValueError(_("A lock-out is on a user name or an address, not “%(kind)s”.") % {"kind": kind})
    removed = reset(username=value) if kind == USERNAME else reset(ip=value)
    logger.warning(
        "Lock-out lifted: %s %r by %s (%d rows of failures removed)", kind, value, acting_user.get_username(), removed
    )
    with translation.override("zh-hans"):  # the admin log keeps text as written: write it in Chinese
        label = f"{KIND_LABELS[kind]} {value}"
        message = _("Lock-out lifted (%(count)d rows of failures removed).") % {"count": removed}
    LogEntry.objects.create(
        user_id=acting_user.pk,
        content_type=ContentType.objects.get_for_model(AccessAttempt),
        object_id=None,
        object_repr=label[:200],
        action_flag=DELETION,
        change_message=message,
    )
    return removed
