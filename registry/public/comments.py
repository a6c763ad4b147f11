"""Public comments on a notice (征求意见): a form, spam guards, and the objection it becomes.

A comment is recorded as an objection on the proposal by the workflow's service for
the public (``objection_receive``: the "object" step's rules without its reviewer
role), received by ``ObjectionChannel.ONLINE`` and entered by the system account
``公众留言`` (created on first use, no password and no permission: nobody logs in with
it, and it can do nothing in the admin or the API).
So a public comment waits for a reviewer's response like a letter does, and an
approval needs it answered.

Spam is refused without an external captcha: a per-address throttle counted in the
shared cache (the same client address as the API throttle and the login lock-out), a
honeypot field that people do not see and robots fill in, and size limits. The
contact is stored for the reply only and never leaves the staff's side.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from registry.api.throttling import client_address
from registry.choices import ObjectionChannel
from registry.services.proposals import objection_receive

SYSTEM_USERNAME = "公众留言"
MAX_TEXT = 2000
HONEYPOT = "website"


def comment_rate() -> tuple[int, int]:
    """(comments, seconds) per client address: ``REGISTRY_PUBLIC_COMMENT_RATE``, default 5 per hour."""
    count, _slash, seconds = str(getattr(settings, "REGISTRY_PUBLIC_COMMENT_RATE", "5/3600")).partition("/")
    return int(count), int(seconds or 3600)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your comment.")},
    )
    contact = forms.CharField(
        label=_("Contact (telephone or e-mail)"),
        max_length=200,
        help_text=_("For the bureau's reply only; never shown publicly."),
        error_messages={"required": _("Give a telephone number or an e-mail address for the reply.")},
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=100, required=False)
    # The honeypot: hidden from people by the stylesheet and from screen readers; robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_text(self):
        text = (self.cleaned_data["text"] or "").strip()
        if not text:
            raise forms.ValidationError(_("Write your comment."))
        return text

    def clean_contact(self):
        contact = (self.cleaned_data["contact"] or "").strip()
        if not contact:
            raise forms.ValidationError(_("Give a telephone number or an e-mail address for the reply."))
        return contact


def system_user():
    """The account public comments are recorded by, made on first use."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_staff": False, "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _throttle_key(request) -> str:
    return f"public-comment:{client_address(request)}"


def throttled(request) -> bool:
    """Has this address used up its comments for now?"""
    allowed, _seconds = comment_rate()
    return (cache.get(_throttle_key(request)) or 0) >= allowed


def count_attempt(request) -> None:
    _allowed, seconds = comment_rate()
    key = _throttle_key(request)
    if cache.add(key, 1, timeout=seconds):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)


def record_comment(proposal, form: CommentForm):
    """The comment as an objection on ``proposal`` (raises the workflow's errors unchanged)."""
    data = form.cleaned_data
    return objection_receive(
        proposal=proposal,
        received_by=system_user(),
        text=data["text"],
        contact=data["contact"],
        objector=data["name"],
        channel=ObjectionChannel.ONLINE,
    )
