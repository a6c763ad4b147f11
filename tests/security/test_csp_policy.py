"""The CSP lets the admin's base map load its tiles, and nothing else, from the configured tile host."""

import pytest

from config.csp import policy, tile_origin


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=KEY&x={x}", "https://*.tianditu.gov.cn"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.bureau.local:8080/{z}/{x}/{y}.png", "http://tiles.bureau.local:8080"),
        ("", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),  # none, or this site's own: 'self' already covers it
    ],
)
def test_the_tile_host_is_allowed_for_images(url, origin):
    assert tile_origin(url) == origin
    images = policy(url)["DIRECTIVES"]["img-src"]
    assert images == ["'self'", "data:"] + ([origin] if origin else [])
    assert policy(url)["DIRECTIVES"]["script-src"] == ["'self'"]
