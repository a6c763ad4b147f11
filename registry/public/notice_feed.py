"""``/notices/feed/``: the public notices (公示) as Atom, proposals and naming rounds alike.

A feed reader learns of a notice when it opens, so it can comment in time: each entry is
one notice (a round is one entry, as it was one notice), dated by the start of its notice,
linking to its page. Atom 1.0 (RFC 4287), as the announcements' feed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Proposal, Round
from registry.public.notices import public_proposals, subject
from registry.public.round_notices import public_rounds

LATEST = 50


def _period(notice) -> str:
    ends = timezone.localtime(notice.notice_ends_at).strftime("%Y-%m-%d") if notice.notice_ends_at else "—"
    return _("notice %(start)s – %(end)s") % {
        "start": timezone.localtime(notice.notice_starts_at).strftime("%Y-%m-%d"),
        "end": ends,
    }


class NoticeFeed(Feed):
    """The latest 50 public notices, proposals and rounds, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Place-name public notices")
    subtitle = gettext_lazy("Proposed names under public notice (公示), open to comment")
    link = reverse_lazy("public:notices")
    feed_url = reverse_lazy("public:notice_feed")

    def author_name(self):
        return getattr(settings, "REGISTRY_ANNOUNCING_AUTHORITY", "") or None

    def items(self):
        notices = [
            *public_proposals().order_by("-notice_starts_at", "-id")[:LATEST],
            *public_rounds().order_by("-notice_starts_at", "-id")[:LATEST],
        ]
        return sorted(notices, key=lambda n: n.notice_starts_at, reverse=True)[:LATEST]

    def item_title(self, item) -> str:
        if isinstance(item, Round):
            return _("Naming round: %(title)s (%(count)s items)") % {"title": item.title, "count": item.item_count}
        return f"{item.get_action_display()}：{subject(item)}"

    def item_description(self, item) -> str:
        what = item.organisers if isinstance(item, Round) else item.reason
        return "；".join(part for part in (what, _period(item)) if part)

    def item_link(self, item) -> str:
        if isinstance(item, Proposal):
            return reverse("public:notice", args=[item.pk])
        return reverse("public:round_notice", args=[item.pk])

    def item_pubdate(self, item) -> dt.datetime:
        return item.notice_starts_at

    def item_updateddate(self, item) -> dt.datetime:
        return item.notice_starts_at
