"""Errors raised by the registry's services. Each carries a message fit for a user."""
from django.core.exceptions import ValidationError


class RegistryError(Exception):
    """Base class for refusals by the registry's rules."""


class DeletionRefused(RegistryError):
    """Places, names, divisions and heritage listings are never deleted (retire instead)."""


class InvalidCode(ValidationError):
    """A code of the wrong shape or one that is already taken."""
