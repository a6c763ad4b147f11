"""API tokens in the admin: list a user's tokens, issue one for a system, revoke.

The secret is shown once, in the message after issue; the admin never sees it again
(only its hash is stored). Tokens are revoked, not deleted, so the list keeps who used
the API until when; revocation goes through ``registry.services.tokens`` (audited).
The user's own page lists their tokens too, each with a "revoke" box.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.admin.guards import HistoryAdmin, NoDeleteAdminMixin
from registry.models.tokens import ApiToken
from registry.services.tokens import token_issue, token_revoke


STATES = {
    "active": pgettext_lazy("token state", "active"),
    "expired": pgettext_lazy("token state", "expired"),
    "revoked": pgettext_lazy("token state", "revoked"),
}


def token_state(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return str(STATES["revoked"])
    if token.expires_at <= timezone.now():
        return str(STATES["expired"])
    return str(STATES["active"])


class TokenStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdminMixin, HistoryAdmin):
    list_display = (
        "prefix_display",
        "user",
        "purpose_display",
        "created_at",
        "expires_at",
        "last_used_at",
        "state_display",
        "revoked_by",
    )
    list_filter = (TokenStateFilter, "user")
    search_fields = ("user__username", "name", "prefix")
    list_select_related = ("user", "revoked_by")
    readonly_fields = (
        "user",
        "purpose_display",
        "prefix_display",
        "created_at",
        "expires_at",
        "last_used_at",
        "state_display",
        "revoked_at",
        "revoked_by",
    )
    actions = ["revoke_selected"]
    date_hierarchy = "created_at"

    @admin.display(description=_("key prefix"), ordering="prefix")
    def prefix_display(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    @admin.display(description=_("state"))
    def state_display(self, obj: ApiToken) -> str:
        return token_state(obj)

    @admin.display(description=_("purpose"), ordering="name")
    def purpose_display(self, obj: ApiToken) -> str:
        return obj.name or str(_("API login"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return ["user", "name"] if obj is None else list(self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on a token is edited; revoke it instead
        token, secret = token_issue(
            user=form.cleaned_data["user"], name=form.cleaned_data.get("name") or "", acting_user=request.user
        )
        obj.pk, obj.key_hash, obj.prefix = token.pk, token.key_hash, token.prefix
        obj.created_at, obj.expires_at = token.created_at, token.expires_at
        self.message_user(
            request,
            _("The new token (shown only this once, copy it now): %(secret)s — valid until %(expires)s.")
            % {"secret": secret, "expires": timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")},
            level=messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, acting_user=request.user)
            count += 1
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count}, level=messages.SUCCESS)


class ApiTokenInlineForm(forms.ModelForm):
    revoke = forms.BooleanField(label=_("revoke"), required=False)

    class Meta:
        model = ApiToken
        fields = []


class ApiTokenInline(admin.TabularInline):
    """The user's tokens on the user's page; ticking "revoke" and saving revokes them."""

    model = ApiToken
    fk_name = "user"
    form = ApiTokenInlineForm
    fields = (
        "prefix_display",
        "purpose_display",
        "created_at",
        "expires_at",
        "last_used_at",
        "state_display",
        "revoke",
    )
    readonly_fields = ("prefix_display", "purpose_display", "created_at", "expires_at", "last_used_at", "state_display")
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("API token")
    verbose_name_plural = _("API tokens")

    @admin.display(description=_("key prefix"))
    def prefix_display(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    @admin.display(description=_("state"))
    def state_display(self, obj: ApiToken) -> str:
        return token_state(obj)

    @admin.display(description=_("purpose"))
    def purpose_display(self, obj: ApiToken) -> str:
        return obj.name or str(_("API login"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()
_base_user_admin = type(admin.site._registry[User]) if admin.site.is_registered(User) else UserAdmin
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithTokensAdmin(_base_user_admin):
    inlines = [*getattr(_base_user_admin, "inlines", []), ApiTokenInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not ApiToken:
            return super().save_formset(request, form, formset, change)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []  # nothing saved as such
        revoked = 0
        for token_form in formset.forms:
            token = token_form.instance
            if token.pk and token_form.cleaned_data.get("revoke") and token.revoked_at is None:
                token_revoke(token=token, acting_user=request.user)
                revoked += 1
        if revoked:
            self.message_user(request, _("%(count)d tokens revoked.") % {"count": revoked}, level=messages.SUCCESS)
