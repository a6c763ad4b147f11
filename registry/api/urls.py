"""/api/v1/: one router for the resources, plus search, the name check, token auth, schema and docs."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from registry.api import views
from registry.api.authentication import TokenView

router = DefaultRouter()
router.register("places", views.PlaceViewSet, basename="place")
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("heritage", views.HeritageViewSet, basename="heritage")
router.register("proposals", views.ProposalViewSet, basename="proposal")

urlpatterns = [
    path("", include(router.urls)),
    path("search/", views.SearchView.as_view(), name="search"),
    path("names/check/", views.NameCheckView.as_view(), name="name-check"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]
