"""What a name check's findings forbid: the one place where "errors block" is decided.

``check_name`` judges; ``enforce`` applies the registry's policy to the judgement, so
that the approval, and any other caller that must refuse over a check, says the same
thing for the same findings: a listed name without protection measures is not renamed
or retired, and a name with errors is approved only with a written override reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from registry.exceptions import Conflict


def join_labels(items: Iterable[str]) -> str:
    """Items joined as the active language writes a list (、 in Chinese)."""
    return ("、" if (translation.get_language() or "").startswith("zh") else ", ").join(items)


def enforce(findings: Iterable, *, override_reason: str = "", protects_heritage: bool = False) -> None:
    """Raise ``Conflict`` for what ``findings`` forbid; return if nothing does.

    ``protects_heritage``: the change renames or retires the place, so HERITAGE_PROTECTED
    (a listing without protection measures) refuses it whatever the override. Errors
    (``Finding.is_error``) refuse unless ``override_reason`` says why they are accepted.
    """
    findings = list(findings)
    if protects_heritage:
        protected = [f for f in findings if f.rule == "HERITAGE_PROTECTED"]
        if protected:
            raise Conflict(
                _("Record the heritage protection measures before renaming or retiring a listed name: %(msg)s")
                % {"msg": protected[0].message}
            )
    blocking = [f for f in findings if f.is_error]
    if blocking and not (override_reason or "").strip():
        raise Conflict(
            _("The name check has errors (%(rules)s); approving needs a written override reason.")
            % {"rules": join_labels(sorted({f.label for f in blocking}))}
        )
