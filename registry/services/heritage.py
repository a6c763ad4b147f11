"""Writes to heritage listings, through the same audit trail as places."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry import freshness
from registry.models import HeritageListing, Place
from registry.services.places import User, _audit

LISTING_FIELDS = frozenset(
    f.name
    for f in HeritageListing._meta.get_fields()
    if f.concrete and f.name not in {"id", "place", "created_at", "updated_at"}
)


@transaction.atomic
def heritage_listing_create(*, place: Place, acting_user: User = None, **fields: Any) -> HeritageListing:
    unknown = set(fields) - LISTING_FIELDS
    if unknown:
        raise ValidationError(_("Unknown heritage listing fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    listing = HeritageListing(place=place, **fields)
    return heritage_listing_save(listing=listing, acting_user=acting_user)


@transaction.atomic
def heritage_listing_save(*, listing: HeritageListing, acting_user: User = None) -> HeritageListing:
    """Validate (the 1,000-year rule among others) and save a new or edited listing."""
    listing.full_clean()
    freshness.lock()  # place lists filtered by heritage change: cached counts must see it
    _audit(listing, acting_user, "heritage listing" if listing.pk else "heritage listing: create")
    listing.save()
    return listing
