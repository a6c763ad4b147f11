"""The public site's URLs (SPEC.md "Public site"), mounted at the root by ``config.urls``."""

from django.urls import path

from registry.public import announcements, check, heritage, notice_feed, notices, places, round_notices

app_name = "public"

urlpatterns = [
    path("", places.home, name="home"),
    path("places/<str:code>/", places.place_detail, name="place"),
    path("heritage/", heritage.catalogue, name="heritage"),
    path("heritage/<int:pk>/", heritage.listing_detail, name="listing"),
    path("red/", heritage.red, name="red"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
    path("notices/feed/", notice_feed.NoticeFeed(), name="notice_feed"),
    path("notices/rounds/<int:pk>/", round_notices.round_detail, name="round_notice"),
    path("notices/rounds/<int:pk>/items/<int:position>/", round_notices.item_detail, name="round_item_notice"),
    path("announcements/", announcements.announcement_list, name="announcements"),
    path("announcements/feed/", announcements.AnnouncementFeed(), name="announcement_feed"),
    path("announcements/<int:pk>/", announcements.announcement_detail, name="announcement"),
    path("announcements/rounds/<int:pk>/", announcements.round_announcement, name="round_announcement"),
    path("check/", check.name_check, name="check"),
]
