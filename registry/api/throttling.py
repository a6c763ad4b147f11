"""Anonymous clients are throttled at ``REGISTRY_ANON_RATE`` (default 120/min), read at request time."""
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class RegistryAnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return getattr(settings, "REGISTRY_ANON_RATE", "120/min")
