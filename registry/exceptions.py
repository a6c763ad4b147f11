"""Errors raised by the registry's services. Each carries a message fit for a user."""


class RegistryError(Exception):
    """Base class for refusals by the registry's rules."""


class DeletionRefused(RegistryError):
    """Places, names, divisions and heritage listings are never deleted (retire instead)."""


class InvalidTransition(RegistryError):
    """A workflow step that the proposal's current state does not allow (HTTP 409)."""


class TransitionNotAllowed(RegistryError):
    """A workflow step this user may not take: wrong role, or deciding one's own draft (HTTP 403)."""


class Conflict(RegistryError):
    """The registry changed under a decision (e.g. the same name approved a moment ago) (HTTP 409)."""
