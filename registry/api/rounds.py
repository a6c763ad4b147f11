"""``/api/v1/rounds/``: naming rounds, their items, steps and the one announcement.

For authenticated staff, as the proposals are. Each step of ``workflow.ROUND_STEPS`` is a
written-out ``@action`` with its own request serializer (``return`` is the SPEC's name
of ``return_for_revision``); an item's own steps are ``items/{number}/{step}/``. The
announcement is ``announcement/?format=html|csv|xlsx`` (JSON without ``format``).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from registry.api import round_serializers as rs
from registry.api.authentication import TokenChallengeMixin
from registry.api.pagination import RegistryPagination
from registry.api.params import StrictQueryParametersMixin, path_id
from registry.api.round_preconditions import RoundPreconditionsMixin
from registry.api.serializers import ObjectionResponseSerializer
from registry.models import Objection, Round, RoundItem
from registry.services import round_export
from registry.services.round_apply import announcement_rows
from registry.services.rounds import (
    round_create,
    round_item_add,
    round_item_edit,
    round_item_remove,
    round_item_step,
    round_objection_respond,
    round_transition,
)


class _Download(BaseRenderer):
    """Lets ``?format=`` choose a download; the view answers the file itself."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class _CSV(_Download):
    media_type, format = "text/csv", "csv"


class _XLSX(_Download):
    media_type, format = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"


class _HTML(_Download):
    media_type, format = "text/html", "html"


def round_step(name: str, path: str = ""):
    def decorate(view):
        view = action(detail=True, methods=["post"], url_path=path or name, url_name=(path or name).replace("_", "-"))(
            view
        )
        return extend_schema(
            request=rs.ROUND_STEP_SERIALIZERS[name], responses=rs.RoundSerializer, operation_id=f"rounds_{path or name}"
        )(view)

    return decorate


def item_step(name: str):
    def decorate(view):
        view = action(
            detail=True, methods=["post"], url_path=rf"items/(?P<number>[0-9]+)/{name}", url_name=f"item-{name}"
        )(view)
        return extend_schema(
            request=rs.ITEM_STEP_SERIALIZERS[name],
            responses=rs.RoundSerializer,
            operation_id=f"rounds_item_{name}",
            parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
        )(view)

    return decorate


class RoundViewSet(RoundPreconditionsMixin, TokenChallengeMixin, StrictQueryParametersMixin, viewsets.GenericViewSet):
    """Naming rounds (命名批次), for authenticated staff; ``ETag`` / ``If-Match`` as ``round_preconditions``."""

    permission_classes = [IsAuthenticated, IsAdminUser]
    pagination_class = RegistryPagination
    serializer_class = rs.RoundSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            Round.objects.select_related("drafted_by", "decided_by", "announcement")
            .prefetch_related(
                "items__place",
                "items__objections__recorded_by",
                "items__objections__responded_by",
                "events__actor",
                "events__item",
            )
            .order_by("-created_at", "-id")
        )

    def _answer(self, request, round_id: int, status: int = 200) -> Response:
        round_ = self.get_queryset().get(pk=round_id)
        return Response(rs.RoundSerializer(round_, context={"request": request}).data, status=status)

    @extend_schema(responses=rs.RoundSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(rs.RoundSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses=rs.RoundSerializer)
    def retrieve(self, request, pk=None):
        round_ = get_object_or_404(self.get_queryset(), pk=path_id(pk))
        return Response(rs.RoundSerializer(round_, context={"request": request}).data)

    @extend_schema(request=rs.RoundCreateSerializer, responses={201: rs.RoundSerializer})
    def create(self, request):
        if not request.user.has_perm("registry.submit_proposal"):
            raise PermissionDenied(_("Drafting proposals needs the clerk (录入员) role."))
        given = rs.RoundCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        round_ = round_create(drafted_by=request.user, **given.validated_data)
        return self._answer(request, round_.pk, status=201)

    @extend_schema(
        request=rs.RoundItemCreateSerializer, responses={201: rs.RoundSerializer}, operation_id="rounds_items_add"
    )
    @action(detail=True, methods=["post"], url_path="items", url_name="items")
    def items(self, request, pk=None):
        """Add an item to a draft round (its drafter): a proposal's body, with location or geometry."""
        round_ = get_object_or_404(Round, pk=path_id(pk))
        given = rs.RoundItemCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        round_item_add(round_=round_, acting_user=request.user, **given.validated_data)
        return self._answer(request, round_.pk, status=201)

    @extend_schema(
        methods=["PATCH"],
        request=rs.RoundItemEditSerializer,
        responses=rs.RoundSerializer,
        operation_id="rounds_item_edit",
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @extend_schema(
        methods=["DELETE"],
        request=rs.RoundItemRemoveSerializer,
        responses={200: rs.RoundSerializer},
        operation_id="rounds_item_remove",
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"items/(?P<number>[0-9]+)", url_name="item")
    def item(self, request, pk=None, number=None):
        """Correct (PATCH) or take out (DELETE: kept on record as withdrawn) an item of a draft round (its drafter)."""
        item = get_object_or_404(RoundItem, round_id=path_id(pk), position=path_id(number))
        if request.method == "DELETE":
            given = rs.RoundItemRemoveSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            round_item_remove(item=item, acting_user=request.user, **given.validated_data)
        else:
            given = rs.RoundItemEditSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            round_item_edit(item=item, acting_user=request.user, **given.validated_data)
        return self._answer(request, item.round_id)

    def _step(self, request, pk, name: str) -> Response:
        round_ = get_object_or_404(Round, pk=path_id(pk))
        given = rs.ROUND_STEP_SERIALIZERS[name](data=request.data)
        given.is_valid(raise_exception=True)
        round_transition(round_=round_, transition=name, acting_user=request.user, **given.validated_data)
        return self._answer(request, round_.pk)

    @round_step("submit")
    def submit(self, request, pk=None):
        """Submit a draft round (its drafter): every item is checked, against the registry and each other."""
        return self._step(request, pk, "submit")

    @round_step("start_review")
    def start_review(self, request, pk=None):
        return self._step(request, pk, "start_review")

    @round_step("return_for_revision", "return")
    def return_for_revision(self, request, pk=None):
        """Send the round back to its drafter with the ``reason`` (退回修改)."""
        return self._step(request, pk, "return_for_revision")

    @round_step("start_notice")
    def start_notice(self, request, pk=None):
        return self._step(request, pk, "start_notice")

    @round_step("approve")
    def approve(self, request, pk=None):
        """One decision: every pending item approved and applied, one announcement issued."""
        return self._step(request, pk, "approve")

    @round_step("reject")
    def reject(self, request, pk=None):
        return self._step(request, pk, "reject")

    @round_step("withdraw")
    def withdraw(self, request, pk=None):
        return self._step(request, pk, "withdraw")

    def _item_step(self, request, pk, number, name: str) -> Response:
        item = get_object_or_404(RoundItem, round_id=path_id(pk), position=path_id(number))
        given = rs.ITEM_STEP_SERIALIZERS[name](data=request.data)
        given.is_valid(raise_exception=True)
        round_item_step(item=item, step=name, acting_user=request.user, **given.validated_data)
        return self._answer(request, item.round_id)

    @item_step("withdraw")
    def item_withdraw(self, request, pk=None, number=None):
        return self._item_step(request, pk, number, "withdraw")

    @item_step("defer")
    def item_defer(self, request, pk=None, number=None):
        return self._item_step(request, pk, number, "defer")

    @item_step("object")
    def item_object(self, request, pk=None, number=None):
        return self._item_step(request, pk, number, "object")

    @extend_schema(
        request=ObjectionResponseSerializer,
        responses=rs.RoundSerializer,
        operation_id="rounds_objection_respond",
        parameters=[OpenApiParameter("objection_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection_id>[0-9]+)/respond",
        url_name="objection-respond",
    )
    def respond(self, request, pk=None, objection_id=None):
        objection = get_object_or_404(Objection, pk=path_id(objection_id), item__round_id=path_id(pk))
        given = ObjectionResponseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        round_objection_respond(objection=objection, acting_user=request.user, **given.validated_data)
        return self._answer(request, objection.item.round_id)

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="rounds_announcement")
    @action(
        detail=True,
        methods=["get"],
        url_path="announcement",
        url_name="announcement",
        renderer_classes=[JSONRenderer, _CSV, _XLSX, _HTML],
    )
    def announcement(self, request, pk=None):
        """The round's 公告: JSON, or ``?format=html`` (printable), ``csv`` or ``xlsx``."""
        round_ = get_object_or_404(Round.objects.select_related("announcement"), pk=path_id(pk))
        if not hasattr(round_, "announcement"):
            raise NotFound(_("This round has no announcement yet: it is issued when the round is approved."))
        fmt = request.accepted_renderer.format
        if fmt == "html":
            return HttpResponse(round_export.announcement_html(round_), content_type="text/html; charset=utf-8")
        if fmt in ("csv", "xlsx"):
            body = round_export.announcement_csv(round_) if fmt == "csv" else round_export.announcement_xlsx(round_)
            response = HttpResponse(body, content_type=_CSV.media_type if fmt == "csv" else _XLSX.media_type)
            response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-announcement.{fmt}"'
            return response
        a = round_.announcement
        return Response(
            {
                "number": a.number,
                "title": a.title,
                "issuing_authority": a.issuing_authority,
                "issued_on": a.issued_on,
                "authority": a.authority,
                "document_number": a.document_number,
                "approved_on": a.approved_on,
                "items": announcement_rows(round_),
            }
        )
