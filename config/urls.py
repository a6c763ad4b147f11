"""URL map: the public site at the root, the admin (with the language switch), the REST API and OGC API – Features."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "地名管理与地名文化遗产名录"
admin.site.site_title = "地名管理"
admin.site.index_title = "合肥市地名管理"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("registry.api.urls")),
    path("ogc/", include("registry.ogc.urls")),
    path("", include("registry.public.urls")),
]

handler404 = "registry.api.exceptions.not_found"
