"""Users and groups in Chinese: role names and permission names as people read them.

The workflow's roles are groups named by code ("clerk", "reviewer", "approver";
SPEC.md, migration 0007) and code finds them by that name, so the names stay. Django
stores each permission's English name in the database when it creates it ("Can add
place", "Can draft and submit naming proposals") and shows that text as is. Here the
User and Group admins are registered again so that every place a person sees a group
or a permission shows a Chinese label instead:

- a group as 录入员（clerk）: the role's label, with its code after it, since the code
  is what SPEC.md and the API's documentation call it (other groups by their name);
- a permission as 地名 | 可以添加地名: the model's translated name and the action of
  the codename (add, change, delete, view), or the translated name from the model's
  ``Meta.permissions`` for the workflow's own permissions. The stored name is shown
  only for a permission whose model no longer exists.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.admin.guards import WorkflowGroupAdmin

ROLE_LABELS = {
    "clerk": pgettext_lazy("role", "clerk"),
    "reviewer": pgettext_lazy("role", "reviewer"),
    "approver": pgettext_lazy("role", "approver"),
}
ACTION_LABELS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def role_label(name: str) -> str:
    """录入员（clerk） for a role's code; any other group name as it is."""
    label = ROLE_LABELS.get(name)
    if label is None or str(label) == name:
        return name
    return f"{label}（{name}）"


def group_label(group) -> str:
    if group is None:
        return ""
    return role_label(group.name if isinstance(group, Group) else str(group))


def permission_name(permission: Permission) -> str:
    """The permission's name in the active language, without the app and model."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    opts = model._meta
    custom = dict(opts.permissions)
    if permission.codename in custom:
        return str(custom[permission.codename])
    action, _sep, model_name = permission.codename.partition("_")
    if action in ACTION_LABELS and model_name == opts.model_name:
        return str(ACTION_LABELS[action] % {"model": opts.verbose_name})
    return permission.name


def permission_label(permission: Permission) -> str:
    """地名 | 可以添加地名."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    return f"{capfirst(model._meta.verbose_name)} | {permission_name(permission)}"


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return group_label(obj)


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return permission_label(obj)


def _labelled_field(db_field, formfield):
    """Swap the admin's M2M form field for one with Chinese labels, keeping its widget and help."""
    if formfield is None:
        return None
    kind = {
        "groups": GroupChoiceField,
        "permissions": PermissionChoiceField,
        "user_permissions": PermissionChoiceField,
    }.get(db_field.name)
    if kind is None:
        return formfield
    queryset = formfield.queryset
    if kind is PermissionChoiceField:
        queryset = queryset.select_related("content_type")
    return kind(
        queryset=queryset,
        required=formfield.required,
        widget=formfield.widget,
        label=formfield.label,
        help_text=formfield.help_text,
    )


class GroupListFilter(RelatedFieldListFilter):
    """The user list's "by group" filter, with role labels."""

    def field_choices(self, field, request, model_admin):
        # The roles in the workflow's order (clerk, reviewer, approver), then any other group.
        order = {code: index for index, code in enumerate(ROLE_LABELS)}
        groups = sorted(Group.objects.values_list("pk", "name"), key=lambda g: (order.get(g[1], len(order)), g[1]))
        return [(pk, role_label(name)) for pk, name in groups]


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class GroupAdmin(WorkflowGroupAdmin):
    list_display = ("label",)

    @admin.display(description=_("name"), ordering="name")
    def label(self, obj) -> str:
        return group_label(obj)

    def get_search_results(self, request, queryset, search_term):
        """Find a role by its Chinese label (录入员) as well as by its code."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        term = (search_term or "").strip()
        if term:
            codes = [code for code, label in ROLE_LABELS.items() if term in str(label)]
            if codes:
                queryset = queryset | self.model.objects.filter(Q(name__in=codes))
        return queryset, duplicates

    def get_readonly_fields(self, request, obj=None):
        # The workflow finds its roles by these names: renaming one would break it.
        if obj is not None and obj.name in ROLE_LABELS:
            return ("role",)
        return ()

    def get_fields(self, request, obj=None):
        if obj is not None and obj.name in ROLE_LABELS:
            return ("role", "permissions")
        return ("name", "permissions")

    @admin.display(description=_("name"))
    def role(self, obj) -> str:
        return group_label(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.name in ROLE_LABELS:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _labelled_field(db_field, super().formfield_for_manytomany(db_field, request=request, **kwargs))

    def log_addition(self, request, obj, message):
        return self._label_log_entry(super().log_addition(request, obj, message), obj)

    def log_change(self, request, obj, message):
        return self._label_log_entry(super().log_change(request, obj, message), obj)

    @staticmethod
    def _label_log_entry(entry, obj):
        """The admin's "recent actions" show the stored repr: store the role's label, not its code."""
        if entry is not None and obj.name in ROLE_LABELS:
            entry.object_repr = group_label(obj)[:200]
            type(entry).objects.filter(pk=entry.pk).update(object_repr=entry.object_repr)
        return entry

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"subtitle": group_label(obj)} if obj is not None else {}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"title": _("Change history: %s") % group_label(obj)} if obj is not None else {}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_filter = ("is_staff", "is_superuser", "is_active", ("groups", GroupListFilter))

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _labelled_field(db_field, super().formfield_for_manytomany(db_field, request=request, **kwargs))
