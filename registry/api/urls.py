"""/api/v1/: one router for the resources, plus search, the name check, token auth, schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from registry.api import proposal_views, rounds, views
from registry.api.auth import ObtainTokenView
from registry.api.name_bank import NameBankViewSet
from registry.api.suggest import NameSuggestView

router = DefaultRouter()
router.register("places", views.PlaceViewSet, basename="place")
router.register("divisions", views.DivisionViewSet, basename="division")
router.register("heritage", views.HeritageViewSet, basename="heritage")
router.register("proposals", proposal_views.ProposalViewSet, basename="proposal")
router.register("name-bank", NameBankViewSet, basename="name-bank")
router.register("rounds", rounds.RoundViewSet, basename="round")

urlpatterns = [
    # Before the router, whose place detail would otherwise take "export.geojson" for a code.
    path("places/export.geojson", views.PlaceExportView.as_view(), name="place-export"),
    path("", include(router.urls)),
    path("search/", views.SearchView.as_view(), name="search"),
    path("names/check/", views.NameCheckView.as_view(), name="name-check"),
    path("names/suggest/", NameSuggestView.as_view(), name="name-suggest"),
    path("auth/token/", ObtainTokenView.as_view(), name="auth-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
]
