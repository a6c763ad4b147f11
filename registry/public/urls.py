"""The public site's URLs (SPEC.md "Public site"), mounted at the root by ``config.urls``."""

from django.urls import path

from registry.public import announcements, check, heritage, notices, places

app_name = "public"

urlpatterns = [
    path("", places.home, name="home"),
    path("places/<str:code>/", places.place_detail, name="place"),
    path("heritage/", heritage.catalogue, name="heritage"),
    path("heritage/<int:pk>/", heritage.listing_detail, name="listing"),
    path("red/", heritage.red, name="red"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("announcements/", announcements.announcement_list, name="announcements"),
    path("announcements/feed/", announcements.AnnouncementFeed(), name="announcement_feed"),
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
    path("check/", check.name_check, name="check"),
]
