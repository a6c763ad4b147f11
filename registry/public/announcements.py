"""``/announcements/``: every 公告 as issued, searchable, and an Atom feed for feed readers.

An announcement keeps its texts as issued (``models.review.Announcement``), so the
archive shows exactly what was published. A naming round's decision is one 公告 for all
its items (``RoundAnnouncement``, Hefei's 5th round was one): it is one entry of the same
archive and feed, dated as issued, with its own page listing every item
(``/announcements/rounds/<pk>/``, also as CSV and XLSX). The feed is Atom 1.0 (RFC 4287):
the feed's id, title and updated, and per entry its id, title, updated and link.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from registry.models import Announcement, RoundAnnouncement, RoundItem
from registry.models.rounds import ItemOutcome
from registry.public.common import visitor_text
from registry.services.round_apply import announcement_rows
from registry.services.round_export import announcement_csv, announcement_xlsx

PER_PAGE = 20


def _issuer(a: Announcement) -> str:
    return a.issuing_authority or getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", "")


def _issued_on(a: Announcement) -> dt.date:
    return a.issued_on or timezone.localtime(a.created_at).date()


def announcements():
    return Announcement.objects.select_related("place", "proposal").order_by("-issued_on", "-approved_on", "-id")


def _proposal_matches(q: str):
    found = Announcement.objects.all()
    if q:
        found = found.filter(
            Q(standard_name__icontains=q)
            | Q(old_name__icontains=q)
            | Q(number__icontains=q)
            | Q(document_number__icontains=q)
            | Q(division_name__icontains=q)
            | Q(pinyin__icontains=q)
        )
    return found


def _round_matches(q: str):
    """A round's 公告 matches by its heading or by any approved item's name, 原名 or pinyin."""
    found = RoundAnnouncement.objects.all()
    if q:
        items = RoundItem.objects.filter(round=OuterRef("round"), outcome=ItemOutcome.APPROVED).filter(
            Q(announced__standard_name__icontains=q)
            | Q(announced__old_name__icontains=q)
            | Q(announced__pinyin__icontains=q)
            | Q(announced__division__icontains=q)
        )
        found = found.filter(
            Q(title__icontains=q)
            | Q(number__icontains=q)
            | Q(document_number__icontains=q)
            | Q(round__title__icontains=q)
            | Exists(items)
        )
    return found


def archive(q: str = ""):
    """Both kinds of 公告, newest first by the day issued, as (kind, pk) rows one query pages."""

    def rows(queryset, kind: str):
        return (
            queryset.order_by()  # a part of a UNION takes no ORDER BY of its own (the models' Meta)
            .annotate(kind=Value(kind, output_field=CharField()), day=Coalesce(F("issued_on"), F("approved_on")))
            .values_list("kind", "pk", "day", "approved_on")
        )

    return (
        rows(_proposal_matches(q), "proposal")
        .union(rows(_round_matches(q), "round"))
        .order_by("-day", "-approved_on", "-pk")
    )


def _entries(rows) -> list:
    """The page's rows as their objects, in the page's order."""
    wanted = {"proposal": [pk for kind, pk, *_ in rows if kind == "proposal"]}
    wanted["round"] = [pk for kind, pk, *_ in rows if kind == "round"]
    found = {("proposal", a.pk): a for a in announcements().filter(pk__in=wanted["proposal"])}
    found |= {
        ("round", a.pk): a for a in RoundAnnouncement.objects.select_related("round").filter(pk__in=wanted["round"])
    }
    return [found[(kind, pk)] for kind, pk, *_ in rows if (kind, pk) in found]


def announcement_list(request):
    q = visitor_text(request.GET.get("q"))
    page = Paginator(archive(q), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _entries(list(page.object_list))
    return render(
        request,
        "public/announcements.html",
        {"nav": "announcements", "q": q, "page": page, "total": page.paginator.count},
    )


def round_announcement(request, pk: int):
    """A round's 公告 as issued: its heading, every approved item (原名 → 新名 for renames);
    ``?format=csv`` or ``xlsx`` downloads the same table."""
    a = RoundAnnouncement.objects.select_related("round").filter(pk=pk).first()
    if a is None:
        raise Http404(pk)
    kind = request.GET.get("format")
    if kind in ("csv", "xlsx"):
        body, content_type = (
            (announcement_csv(a.round), "text/csv; charset=utf-8")
            if kind == "csv"
            else (announcement_xlsx(a.round), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="announcement-{a.year}-{a.serial}.{kind}"'
        return response
    rows = announcement_rows(a.round)
    return render(
        request,
        "public/round_announcement.html",
        {
            "nav": "announcements",
            "a": a,
            "r": a.round,
            "rows": rows,
            "renames": any(row["action"] == "rename" for row in rows),
            "issuer": _issuer(a),
        },
    )


def announcement_detail(request, pk: int):
    a = announcements().filter(pk=pk).first()
    if a is None:
        raise Http404(pk)
    return render(
        request,
        "public/announcement.html",
        {
            "nav": "announcements",
            "a": a,
            "action": a.action or a.proposal.action,
            "issuer": _issuer(a),
            "issued_on": _issued_on(a),
        },
    )


class AnnouncementFeed(Feed):
    """The latest 50 announcements as Atom."""

    feed_type = Atom1Feed
    title = _("Place-name announcements")
    subtitle = _("Announcements (公告) of standard place names")
    link = reverse_lazy("public:announcements")
    feed_url = reverse_lazy("public:announcement_feed")

    def author_name(self):
        return getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", "") or None

    def items(self):
        rows = list(archive()[:50])
        return _entries(rows)

    def item_title(self, item) -> str:
        if isinstance(item, RoundAnnouncement):
            return f"{item.title}：{item.round.title}（{item.number}）"
        subject = f"{item.old_name} → {item.standard_name}" if item.old_name else item.standard_name
        return f"{item.title}：{subject}" + (f"（{item.number}）" if item.number else "")

    def item_description(self, item) -> str:
        if isinstance(item, RoundAnnouncement):
            count = item.round.items.filter(outcome=ItemOutcome.APPROVED).count()
            parts = (
                _("%(count)s standard names") % {"count": count},
                f"{item.authority} {item.document_number}".strip(),
            )
        else:
            parts = (
                item.division_name,
                item.pinyin,
                f"{item.authority} {item.document_number}".strip(),
                item.location,
            )
        return "；".join(str(part) for part in parts if part)

    def item_link(self, item) -> str:
        if isinstance(item, RoundAnnouncement):
            return reverse("public:round_announcement", args=[item.pk])
        return reverse("public:announcement", args=[item.pk])

    def item_pubdate(self, item) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item) -> dt.datetime:
        return item.created_at
