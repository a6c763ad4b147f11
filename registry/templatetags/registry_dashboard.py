"""``{% work_dashboard %}``: the admin home page's dashboard for the user logged in."""

from django import template

from registry.admin.dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/registry/dashboard.html", takes_context=True)
def work_dashboard(context):
    return {"sections": dashboard(context["request"].user)}
