"""The Content Security Policy (django-csp), built from the settings it depends on.

Scripts only from this site's own files, no inline script or event handler, no
plug-ins, no framing, forms post here only. Inline styles stay allowed (the admin's
templates and Swagger UI's page use them; they cannot run code). The admin's base map
(``REGISTRY_TILE_URL``) adds its tile host to ``img-src``; a tile server's subdomains
(``{s}.tile…``, ``t{s}.tianditu…``) become a wildcard host. tests/security/test_csp_in_browser.py
loads the admin and the API docs in Chromium and fails on any violation.
"""

from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE


def tile_origin(url: str) -> str:
    if not url.startswith(("https://", "http://")):
        return ""
    parts = urlsplit(url)
    first, _dot, rest = parts.netloc.partition(".")
    host = f"*.{rest}" if "{s}" in first and rest else parts.netloc
    return f"{parts.scheme}://{host}"


def policy(tile_url: str = "") -> dict:
    tiles = tile_origin(tile_url)
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF, UNSAFE_INLINE],
            "img-src": [SELF, "data:", *([tiles] if tiles else [])],
            "font-src": [SELF, "data:"],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "frame-ancestors": [NONE],
            "form-action": [SELF],
        },
    }
