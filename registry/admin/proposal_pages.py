"""What the proposal's pages show: the decision summary, the listing by its Chinese labels,
the stored findings in the reader's language, the return a draft waits on, an objection's answer.

Read by ``review.ProposalAdmin`` for its change page and the workflow's own pages
(a step, an answer to an objection); nothing here writes.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from registry.choices import ProposalAction, ProposalState, ProposalStep
from registry.models import HeritageListing, Proposal, ProposalEvent
from registry.romanization import romanize
from registry.validation.findings import rule_label, severity_label


def answer_html(objection):
    """The response with who gave it, or a link to answer (答复) while it is missing."""
    if objection.response:
        return format_html(
            "{}<br><small>{}{}</small>",
            objection.response,
            f"{objection.get_outcome_display()} · " if objection.outcome else "",
            f"{objection.responded_by} {timezone.localtime(objection.responded_at):%Y-%m-%d %H:%M}",
        )
    if objection.proposal.state != ProposalState.PUBLIC_NOTICE:
        return gettext("No response")
    url = reverse("admin:registry_proposal_respond", args=[objection.proposal_id, objection.pk])
    return format_html(
        '<b style="color:#c62828">{}</b> <a class="respond-link" href="{}">{}</a>',
        gettext("No response yet"),
        url,
        gettext("Answer"),
    )


def heritage_rows(listing: dict) -> list[tuple[str, str]]:
    """The listing's fields by their Chinese labels, the year with 公元前 for BCE."""
    if not listing:
        return []
    rows = []
    for field, value in listing.items():
        if value in (None, ""):
            continue
        model_field = HeritageListing._meta.get_field(field)
        if field == "in_use_since":
            value = (gettext("%(year)s BCE") if value < 0 else gettext("%(year)s CE")) % {"year": abs(value)}
        elif model_field.choices:
            value = dict(model_field.flatchoices).get(value, value)
        rows.append((str(model_field.verbose_name), value))
    return rows


def labelled(findings: list[dict]) -> list[dict]:
    """Stored findings with their rule and severity in the user's language (the code as a tooltip)."""
    return [
        {**f, "label": rule_label(f.get("rule", "")), "severity_label": severity_label(f.get("severity", ""))}
        for f in findings or []
    ]


def returned(proposal: Proposal) -> ProposalEvent | None:
    """The return for revision a draft is waiting on, if that is why it is a draft."""
    if proposal.state != ProposalState.DRAFT:
        return None
    last = (
        proposal.events.exclude(transition=ProposalStep.UPDATE).order_by("-at", "-id").select_related("actor").first()
    )
    return last if last and last.transition == "return_for_revision" else None


def _pinyin(proposal: Proposal) -> str:
    """The pinyin the decision gives the name: the one proposed, else the standard romanization."""
    if proposal.pinyin:
        return proposal.pinyin
    if proposal.name:
        return romanize(proposal.name, proposal.category or None).pinyin
    return proposal.place.pinyin if proposal.place_id else ""


def summary(proposal: Proposal) -> list[tuple[str, str]]:
    """What a decision is about: action, place, current → proposed name, pinyin, reason, origin, division."""
    current = proposal.place.name if proposal.place_id else ""
    rows = [(gettext("action"), proposal.get_action_display())]
    if proposal.place_id:
        rows.append((gettext("place"), f"{proposal.place.name}（{proposal.place.code}）"))
    if proposal.action == ProposalAction.RENAME:
        rows.append((gettext("name"), f"{current} → {proposal.name}"))
    elif proposal.name:
        rows.append((gettext("proposed name"), proposal.name))
    rows += [
        (gettext("pinyin"), _pinyin(proposal)),
        (gettext("category"), proposal.get_category_display()),
        (gettext("division"), str(proposal.division.name) if proposal.division_id else ""),
        (gettext("reason"), proposal.reason),
        (gettext("origin and meaning"), proposal.origin or "—"),
        (gettext("drafted by"), str(proposal.drafted_by)),
        (gettext("check result"), proposal.get_check_level_display() or "—"),
    ]
    if proposal.notice_ends_at:
        rows.append(
            (
                gettext("public notice"),
                "%s — %s"
                % (
                    timezone.localtime(proposal.notice_starts_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(proposal.notice_ends_at).strftime("%Y-%m-%d %H:%M"),
                ),
            )
        )
    rows += [(label, value) for label, value in heritage_rows(proposal.heritage)]
    return rows
