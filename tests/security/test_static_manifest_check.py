"""``check --deploy`` warns when production would answer 500 for want of the static files'
manifest (``registry.checks.static_manifest``): collectstatic run in debug mode writes none."""

from __future__ import annotations

import pytest

from registry.checks import static_manifest

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(
    "debug, backend, manifest, warned",
    [
        (False, MANIFEST, False, True),  # production, collectstatic not run (or run in debug mode)
        (False, MANIFEST, True, False),
        (True, MANIFEST, False, False),  # debug mode serves from the finders
        (False, "django.contrib.staticfiles.storage.StaticFilesStorage", False, False),
    ],
)
def test_the_missing_manifest_is_a_deploy_warning(settings, tmp_path, debug, backend, manifest, warned):
    settings.DEBUG = debug
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
    settings.STATIC_ROOT = tmp_path
    if manifest:
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}', encoding="utf-8")
    found = static_manifest()
    assert [w.id for w in found] == (["registry.W001"] if warned else [])
    if warned:
        assert "collectstatic" in found[0].msg and "DJANGO_DEBUG=false" in found[0].msg
