"""System checks a deployment needs (``manage.py check --deploy``).

With ``DJANGO_DEBUG=false`` the static files are served from ``STATIC_ROOT`` through
WhiteNoise's manifest storage, which raises for a file missing from ``staticfiles.json``:
every page that links a stylesheet, the 404 page included, then answers 500. That happens
when ``collectstatic`` was run without ``DJANGO_DEBUG=false`` (it then writes no manifest),
or not at all, so the check says which command to run.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_manifest(app_configs=None, **kwargs):
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if settings.DEBUG or "Manifest" not in backend:
        return []
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        return []
    return [
        Warning(
            f"静态文件清单 {manifest} 不存在：生产模式下每个引用样式表的页面都会答 500。"
            f"请在与服务相同的环境中运行 DJANGO_DEBUG=false manage.py collectstatic。"
            f" (The static files manifest {manifest} is missing: in production every page that links a"
            " stylesheet answers 500. Run `DJANGO_DEBUG=false manage.py collectstatic` with the server's settings.)",
            id="registry.W001",
        )
    ]
