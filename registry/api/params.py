"""Query parameters: an unknown or repeated one is a 400 naming it, on every endpoint.

A client's typo (``?categroy=road``) or a parameter the registry does not implement
(``?bbox=…``) used to be ignored silently and answered with every place; now it is
found at once. Each view declares what it takes: its filters (from its FilterSet), the
page parameters where it pages, ``format`` and ``lang`` everywhere, and its own extras.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError

COMMON = frozenset({"format", "lang"})
PAGES = frozenset({"page", "page_size"})
# Asked for by map clients; refused with a clear reason rather than ignored.
NOT_SUPPORTED = frozenset({"bbox", "near"})


def check_query_parameters(query_params, allowed: frozenset | set) -> None:
    errors = {}
    for name in query_params:
        if name in NOT_SUPPORTED and name not in allowed:
            errors[name] = [_("“%(name)s” is not supported (yet).") % {"name": name}]
        elif name not in allowed:
            errors[name[:50]] = [
                _("Unknown parameter “%(name)s”; this endpoint takes: %(allowed)s.")
                % {"name": name[:50], "allowed": ", ".join(sorted(allowed))}
            ]
        elif len(query_params.getlist(name)) > 1:
            errors[name] = [_("“%(name)s” is given more than once; give it once.") % {"name": name}]
    if errors:
        raise ValidationError(errors)


class StrictQueryParametersMixin:
    """Checks the query parameters before the handler runs (after authentication and throttling)."""

    #: parameters the view takes besides its filters, pages, format and lang, per action.
    extra_query_parameters: dict[str, frozenset] = {}

    def allowed_query_parameters(self) -> frozenset:
        action = getattr(self, "action", None) or self.request.method.lower()
        allowed = set(COMMON) | set(self.extra_query_parameters.get(action, ()))
        allowed |= set(self.extra_query_parameters.get("*", ()))
        if action in ("list", "get", "names") and getattr(self, "pagination_class", None) is not None:
            allowed |= PAGES
        filterset_class = getattr(self, "filterset_class", None)
        if action == "list" and filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        return frozenset(allowed)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method not in self.http_method_names or getattr(self, method, None) is None:
            return  # a method the view does not take: DRF answers 405, whatever the query says
        check_query_parameters(request.query_params, self.allowed_query_parameters())


def path_id(pk) -> int:
    """An id from the URL path as the database's key; one no row can have is a 404."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number < 2**63:  # beyond a 64-bit key SQLite raises OverflowError (a 500), not "no such row"
        raise NotFound()
    return number
