"""Template filters and tags for the Chinese admin's framework pages.

- ``{{ value|partial_date }}``: 前484年 for "-0484" (``registry.partial_dates.display``).
- ``{{ reason|change_reason }}``: 更名（原名截止） for "rename: closed".
- ``{{ group|role_label }}``: 录入员（clerk） for the clerk group.
- ``{% history_rows page_obj opts history_list_display as rows %}``: the rows of a
  history page with labels instead of codes (``registry.admin.history``).
"""

from django import template

from registry import partial_dates
from registry.admin import history
from registry.admin.auth import group_label

register = template.Library()


@register.filter
def partial_date(value) -> str:
    return partial_dates.display(value)


@register.filter
def change_reason(value) -> str:
    return history.change_reason_label(value)


@register.filter
def role_label(group) -> str:
    return group_label(group)


@register.simple_tag
def history_rows(page_obj, opts, columns=()):
    return history.history_rows(page_obj, opts.model, columns or ())


@register.simple_tag
def history_column_header(opts, column) -> str:
    return history.column_header(opts.model, column)
