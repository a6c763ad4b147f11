"""Page-number pagination with the contract's names and cap (page_size ≤ 200).

The contract's ``count`` costs a COUNT(*) over every matching row (4 ms for 40k roads
on SQLite, more than the page itself). Counts of place lists are therefore kept per
query and per ``places`` revision: any write to places moves the revision, so a cached
count is never stale, and a repeated list request costs one small revision read.
"""

from collections import OrderedDict

from functools import partial

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from registry import freshness
from registry.models import Place, PlaceName

_counts: OrderedDict = OrderedDict()
MAX_CACHED = 2000


class RevisionCountPaginator(Paginator):
    def __init__(self, *args, seen: freshness.Snapshot | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = seen  # the revisions the request already read (api.caching), if it did

    @cached_property
    def count(self):
        queryset = self.object_list
        # This transaction's own writes are not committed yet: never cached.
        if getattr(queryset, "model", None) not in (Place, PlaceName) or freshness.written(freshness.PLACES):
            return super().count
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # e.g. a search with no hits: nothing to count
            return 0
        key = (sql, tuple(map(str, params)))
        revision = (self.seen or freshness.snapshot()).places
        cached = _counts.get(key)
        if cached is not None and cached[0] == revision:
            return cached[1]
        number = super().count
        _counts[key] = (revision, number)
        _counts.move_to_end(key)
        while len(_counts) > MAX_CACHED:
            _counts.popitem(last=False)
        return number


class RegistryPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    @property
    def django_paginator_class(self):
        """The paginator, given the snapshot the cached view took (one revision query less)."""
        return partial(RevisionCountPaginator, seen=getattr(getattr(self, "request", None), "registry_snapshot", None))

    def get_page_size(self, request):
        """A page size that is not a positive whole number is a 400 (DRF would use the default silently)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            from django.utils.translation import gettext as _
            from rest_framework.exceptions import ValidationError

            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page (default {self.page_size}; more than "
                    f"{self.max_page_size} is capped at {self.max_page_size})."
                )
        return parameters
