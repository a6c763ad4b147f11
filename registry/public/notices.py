"""``/notices/``: proposals under public notice (公示), open to comment while the notice runs.

Only proposals that reached a public notice are public; drafts and proposals in
review are the bureau's. Each notice shows what is proposed, the reason and where
the place lies, how many comments (objections) it received and, once decided, the
responses. A comment after the notice has ended is refused, naming the end.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registry.choices import ProposalAction, ProposalState
from registry.exceptions import RegistryError
from registry.models import Proposal
from registry.public import comments
from registry.services.announcements import division_path, place_location

PUBLIC_STATES = (ProposalState.PUBLIC_NOTICE, ProposalState.APPROVED, ProposalState.REJECTED)
DECIDED = (ProposalState.APPROVED, ProposalState.REJECTED)


def public_proposals():
    return (
        Proposal.objects.filter(state__in=PUBLIC_STATES, notice_starts_at__isnull=False)
        .select_related("place__division__parent", "division__parent", "announcement")
        .annotate(comment_count=Count("objections"))
    )


def is_open(proposal: Proposal) -> bool:
    return (
        proposal.state == ProposalState.PUBLIC_NOTICE
        and proposal.notice_ends_at is not None
        and timezone.now() <= proposal.notice_ends_at
    )


def subject(proposal: Proposal) -> str:
    """What the notice is about: 花园街 → 花园路 for a rename (the old name as announced once decided)."""
    if proposal.action == ProposalAction.RENAME:
        announcement = getattr(proposal, "announcement", None) if proposal.state == ProposalState.APPROVED else None
        old = announcement.old_name if announcement else (proposal.place.name if proposal.place_id else "")
        return f"{old} → {proposal.name}"
    return proposal.name or (proposal.place.name if proposal.place_id else "")


def _where(proposal: Proposal) -> dict:
    division = proposal.division or (proposal.place.division if proposal.place_id else None)
    return {"division": division_path(division), "location": place_location(proposal.place)}


def notice_list(request):
    proposals = list(public_proposals().order_by("-notice_starts_at", "-id")[:200])
    rows = [{"p": p, "open": is_open(p), "subject": subject(p), **_where(p)} for p in proposals]
    return render(
        request,
        "public/notices.html",
        {
            "nav": "notices",
            "open": [r for r in rows if r["open"]],
            "waiting": [r for r in rows if not r["open"] and r["p"].state == ProposalState.PUBLIC_NOTICE],
            "decided": [r for r in rows if r["p"].state in DECIDED],
        },
    )


def _ended_message(proposal: Proposal) -> str:
    end = date_format(timezone.localtime(proposal.notice_ends_at), "DATETIME_FORMAT")
    return _("The public notice ended on %(end)s; comments are no longer accepted.") % {"end": end}


def _post_comment(request, proposal: Proposal):
    """Handle a submitted comment; returns a redirect on success, else the bound form."""
    form = comments.CommentForm(request.POST)
    if comments.throttled(request):
        form.add_error(None, _("Too many comments from your address; please try again later."))
        return form
    comments.count_attempt(request)
    if not form.is_valid():
        return form
    if form.cleaned_data.get(comments.HONEYPOT):
        form.add_error(None, _("The comment could not be accepted."))
        return form
    if not is_open(proposal):
        form.add_error(None, _ended_message(proposal))
        return form
    try:
        comments.record_comment(proposal, form)
    except (ValidationError, RegistryError) as exc:
        form.add_error(None, "；".join(getattr(exc, "messages", None) or [str(exc)]))
        return form
    messages.success(request, _("Thank you: your comment was received and will be answered by the bureau."))
    return HttpResponseRedirect(reverse("public:notice", args=[proposal.pk]) + "#comments")


def notice_detail(request, pk: int):
    proposal = public_proposals().filter(pk=pk).first()
    if proposal is None:
        raise Http404(pk)
    form = comments.CommentForm()
    if request.method == "POST":
        result = _post_comment(request, proposal)
        if isinstance(result, HttpResponseRedirect):
            return result
        form = result
    decided = proposal.state in DECIDED
    responses = list(proposal.objections.exclude(response="").order_by("received_on", "id")) if decided else []
    return render(
        request,
        "public/notice.html",
        {
            "nav": "notices",
            "p": proposal,
            "open": is_open(proposal),
            "subject": subject(proposal),
            "decided": decided,
            "form": form,
            "comment_count": proposal.objections.count(),
            "responses": responses,
            "ended_message": _ended_message(proposal) if proposal.notice_ends_at else "",
            **_where(proposal),
            "announcement": getattr(proposal, "announcement", None)
            if proposal.state == ProposalState.APPROVED
            else None,
        },
        status=400 if form.errors else 200,
    )
