"""``/announcements/``: every 公告 as issued, searchable, and an Atom feed for feed readers.

An announcement keeps its texts as issued (``models.review.Announcement``), so the
archive shows exactly what was published. The feed is Atom 1.0 (RFC 4287): the feed's
id, title and updated, and per entry its id, title, updated and link.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from registry.models import Announcement
from registry.public.common import visitor_text

PER_PAGE = 20


def _issuer(a: Announcement) -> str:
    return a.issuing_authority or getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", "")


def _issued_on(a: Announcement) -> dt.date:
    return a.issued_on or timezone.localtime(a.created_at).date()


def announcements():
    return Announcement.objects.select_related("place", "proposal").order_by("-issued_on", "-approved_on", "-id")


def announcement_list(request):
    q = visitor_text(request.GET.get("q"))
    found = announcements()
    if q:
        found = found.filter(
            Q(standard_name__icontains=q)
            | Q(old_name__icontains=q)
            | Q(number__icontains=q)
            | Q(document_number__icontains=q)
            | Q(division_name__icontains=q)
            | Q(pinyin__icontains=q)
        )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/announcements.html",
        {"nav": "announcements", "q": q, "page": page, "total": page.paginator.count},
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
        return list(announcements()[:50])

    def item_title(self, item: Announcement) -> str:
        subject = f"{item.old_name} → {item.standard_name}" if item.old_name else item.standard_name
        return f"{item.title}：{subject}" + (f"（{item.number}）" if item.number else "")

    def item_description(self, item: Announcement) -> str:
        return "；".join(
            part
            for part in (
                item.division_name,
                item.pinyin,
                f"{item.authority} {item.document_number}".strip(),
                item.location,
            )
            if part
        )

    def item_link(self, item: Announcement) -> str:
        return reverse("public:announcement", args=[item.pk])

    def item_pubdate(self, item: Announcement) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Announcement) -> dt.datetime:
        return item.created_at
