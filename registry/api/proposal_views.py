"""The proposals API: drafting and the workflow's steps, one written-out ``@action`` per
step of ``registry.workflow.STEPS`` (a test holds them equal), each body its step's own
serializer (``api.step_serializers``), each step one call of ``proposal_transition``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from registry.api import serializers as s
from registry.api.authentication import TokenChallengeMixin
from registry.api.pagination import RegistryPagination
from registry.api.params import StrictQueryParametersMixin, path_id
from registry.api.preconditions import ProposalPreconditionsMixin
from registry.api.step_serializers import STEP_SERIALIZERS
from registry.models import Objection, Proposal
from registry.services.proposals import objection_respond, proposal_create, proposal_transition
from registry.workflow import STEPS


def step_action(name: str):
    """The route and the schema of workflow step ``name``: ``POST proposals/{id}/<name>/``,
    operation ``proposals_<name>``, the body of ``STEP_SERIALIZERS[name]``."""
    step = STEPS[name]

    def decorate(view):
        view = action(detail=True, methods=["post"], url_path=step.name, url_name=step.name.replace("_", "-"))(view)
        return extend_schema(
            request=STEP_SERIALIZERS[step.name], responses=s.ProposalSerializer, operation_id=f"proposals_{step.name}"
        )(view)

    return decorate


class ProposalViewSet(
    ProposalPreconditionsMixin, TokenChallengeMixin, StrictQueryParametersMixin, viewsets.GenericViewSet
):
    """Naming proposals, for authenticated staff: draft, then take workflow steps."""

    permission_classes = [IsAuthenticated, IsAdminUser]
    pagination_class = RegistryPagination
    serializer_class = s.ProposalSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            Proposal.objects.select_related("place", "drafted_by", "decided_by")
            .prefetch_related("events__actor", "objections__recorded_by", "objections__responded_by")
            .order_by("-created_at", "-id")
        )

    @extend_schema(responses=s.ProposalSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ProposalSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(responses=s.ProposalSerializer)
    def retrieve(self, request, pk=None):
        proposal = get_object_or_404(self.get_queryset(), pk=path_id(pk))
        return Response(s.ProposalSerializer(proposal, context={"request": request}).data)

    @extend_schema(request=s.ProposalCreateSerializer, responses={201: s.ProposalSerializer})
    def create(self, request):
        if not request.user.has_perm("registry.submit_proposal"):
            raise PermissionDenied(_("Drafting proposals needs the clerk (录入员) role."))
        given = s.ProposalCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        proposal = proposal_create(drafted_by=request.user, **given.validated_data)
        return Response(s.ProposalSerializer(proposal, context={"request": request}).data, status=201)

    def _step(self, request, pk, name: str) -> Response:
        """Take step ``name``: its own serializer refuses a field the step does not take."""
        proposal = get_object_or_404(Proposal, pk=path_id(pk))
        given = STEP_SERIALIZERS[name](data=request.data)
        given.is_valid(raise_exception=True)
        proposal = proposal_transition(
            proposal=proposal, transition=name, acting_user=request.user, **given.validated_data
        )
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(s.ProposalSerializer(proposal, context={"request": request}).data)

    # One action per step of ``registry.workflow.STEPS``, written out (a test holds them equal).
    @step_action("submit")
    def submit(self, request, pk=None):
        """Submit a draft for review (its drafter, a clerk); the name check runs again."""
        return self._step(request, pk, "submit")

    @step_action("start_review")
    def start_review(self, request, pk=None):
        """Take a submitted proposal into review (a reviewer)."""
        return self._step(request, pk, "start_review")

    @step_action("return_for_revision")
    def return_for_revision(self, request, pk=None):
        """Send a proposal back to its drafter as a draft, saying what to correct (``reason``)."""
        return self._step(request, pk, "return_for_revision")

    @step_action("start_notice")
    def start_notice(self, request, pk=None):
        """Open the public notice for ``days`` days (0 to 365; the system's default if omitted)."""
        return self._step(request, pk, "start_notice")

    @step_action("object")
    def object(self, request, pk=None):
        """Record an objection received during the public notice (a reviewer)."""
        return self._step(request, pk, "object")

    @step_action("approve")
    def approve(self, request, pk=None):
        """Approve after the notice (an approver, not the drafter): the registry changes and a
        numbered announcement is issued."""
        return self._step(request, pk, "approve")

    @step_action("reject")
    def reject(self, request, pk=None):
        """Reject, giving the ``reason`` (an approver, not the drafter)."""
        return self._step(request, pk, "reject")

    @step_action("withdraw")
    def withdraw(self, request, pk=None):
        """Withdraw an open proposal (its drafter), with an optional ``reason``."""
        return self._step(request, pk, "withdraw")

    @extend_schema(
        request=s.ObjectionResponseSerializer,
        responses=s.ProposalSerializer,
        operation_id="proposals_objection_respond",
        parameters=[OpenApiParameter("objection_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection_id>[0-9]+)/respond",
        url_name="objection-respond",
    )
    def respond(self, request, pk=None, objection_id=None):
        """Answer one objection (答复): ``{"response", "outcome"?}``, for reviewers."""
        objection = get_object_or_404(Objection, pk=path_id(objection_id), proposal_id=path_id(pk))
        given = s.ObjectionResponseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        objection_respond(objection=objection, acting_user=request.user, **given.validated_data)
        proposal = self.get_queryset().get(pk=objection.proposal_id)
        return Response(s.ProposalSerializer(proposal, context={"request": request}).data)
