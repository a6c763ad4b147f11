"""``/api/v1/name-bank/``: the name bank for staff (SPEC.md "Naming rounds … and the name bank").

``GET`` lists (filters ``status``, ``category``, ``series``, ``division``) and reads one
entry with its findings at the last check; ``POST`` enters a name and ``PATCH`` edits one,
both through ``services.name_bank.bank_entry_save``: the name is checked in its scope,
an error refuses it (400 with the findings) unless ``override_reason`` says why it is
kept. Writes need the right to add or change bank entries (clerks and reviewers).
Taking a name is not an edit: a round item takes it (``bank_take``).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from registry.api.authentication import TokenChallengeMixin
from registry.api.pagination import RegistryPagination
from registry.api.params import StrictQueryParametersMixin
from registry.choices import Category
from registry.models import Division, NameBankEntry
from registry.models.name_bank import BankStatus
from registry.services.name_bank import bank_entry_save

WRITABLE = ("name", "pinyin", "category", "series", "division", "reserved_for", "expires_on", "source", "note")


class NameBankFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=BankStatus.choices)
    category = filters.ChoiceFilter(choices=Category.choices)
    series = filters.CharFilter(max_length=100)
    division = filters.CharFilter(field_name="division_id", max_length=12)

    class Meta:
        model = NameBankEntry
        fields = ["status", "category", "series", "division"]


class NameBankEntrySerializer(serializers.ModelSerializer):
    division = serializers.CharField(source="division_id", allow_null=True, read_only=True)

    class Meta:
        model = NameBankEntry
        fields = [
            "id",
            "name",
            "pinyin",
            "category",
            "series",
            "division",
            "reserved_for",
            "expires_on",
            "source",
            "note",
            "status",
            "findings",
            "finding_level",
            "checked_at",
            "override_reason",
            "used_for",
            "used_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class NameBankWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    pinyin = serializers.CharField(max_length=300, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=Category.choices)
    series = serializers.CharField(max_length=100, required=False, allow_blank=True)
    division = serializers.CharField(max_length=12, required=False, allow_blank=True, allow_null=True)
    reserved_for = serializers.CharField(max_length=200, required=False, allow_blank=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    override_reason = serializers.CharField(max_length=10_000, required=False, allow_blank=True)

    def validate_division(self, value):
        code = (value or "").strip()
        if code and not Division.objects.filter(code=code).exists():
            raise serializers.ValidationError(_("Unknown division code “%(code)s”.") % {"code": code[:20]})
        return code or None


def _entry_id(pk) -> int:
    if not str(pk).isdigit() or len(str(pk)) > 18:
        raise NotFound(_("No name-bank entry with the id “%(id)s”.") % {"id": str(pk)[:20]})
    return int(pk)


class NameBankViewSet(TokenChallengeMixin, StrictQueryParametersMixin, viewsets.GenericViewSet):
    """The name bank: list, read, enter and edit (through the one service)."""

    permission_classes = [IsAuthenticated, IsAdminUser]
    pagination_class = RegistryPagination
    serializer_class = NameBankEntrySerializer
    filterset_class = NameBankFilter
    queryset = NameBankEntry.objects.order_by("pk")

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(NameBankEntrySerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(NameBankEntrySerializer(get_object_or_404(NameBankEntry, pk=_entry_id(pk))).data)

    @extend_schema(request=NameBankWriteSerializer, responses={201: NameBankEntrySerializer})
    def create(self, request):
        if not request.user.has_perm("registry.add_namebankentry"):
            raise PermissionDenied(_("Entering names in the bank needs the clerk or reviewer role."))
        given = NameBankWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return Response(NameBankEntrySerializer(self._save(NameBankEntry(), given.validated_data)).data, status=201)

    @extend_schema(request=NameBankWriteSerializer(partial=True), responses={200: NameBankEntrySerializer})
    def partial_update(self, request, pk=None):
        if not request.user.has_perm("registry.change_namebankentry"):
            raise PermissionDenied(_("Editing the name bank needs the clerk or reviewer role."))
        entry = get_object_or_404(NameBankEntry, pk=_entry_id(pk))
        given = NameBankWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        return Response(NameBankEntrySerializer(self._save(entry, given.validated_data)).data)

    def _save(self, entry: NameBankEntry, data: dict) -> NameBankEntry:
        for name in WRITABLE:
            if name in data:
                setattr(entry, "division_id" if name == "division" else name, data[name])
        return bank_entry_save(
            entry=entry,
            acting_user=self.request.user,
            override_reason=data.get("override_reason", entry.override_reason),
        )
