"""Content negotiation: an explicit ``?format=`` wins over the Accept header.

A client asking ``?format=geojson`` gets GeoJSON labelled ``application/geo+json``
even if its Accept header says ``application/json``; the body and its media type
always agree.
"""

from rest_framework.negotiation import DefaultContentNegotiation


class FormatFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if fmt:
            chosen = [r for r in renderers if r.format == fmt]
            if chosen:
                return chosen[0], chosen[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
