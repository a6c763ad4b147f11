"""Anonymous clients are throttled at ``REGISTRY_ANON_RATE`` (default 120/min), read at request time.

Two things make the rate hold (issue #12):

- **Who the client is.** ``X-Forwarded-For`` is written by whoever sends the request,
  so it is believed only for the proxies the operator declared
  (``REGISTRY_TRUSTED_PROXIES``, DRF's ``NUM_PROXIES``): with 0 the address is
  ``REMOTE_ADDR``; with *n* it is the address the nearest of the *n* proxies saw.
  A client rotating the header therefore stays one client. The login lock-out
  (django-axes) uses the same address (:func:`client_address`).
- **Where the count lives.** In the default cache, which settings make shared by every
  worker process (the database table ``registry_cache`` or Redis): *n* workers do not
  multiply the rate by *n*.
"""

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


def client_address(request) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only as far as the declared proxies.

    Takes a Django ``HttpRequest`` or a DRF ``Request`` (only ``META`` is read). Same
    rule as DRF's ``BaseThrottle.get_ident`` with ``NUM_PROXIES`` set, so the throttle
    and the lock-out agree on who a client is.
    """
    remote_addr = request.META.get("REMOTE_ADDR") or ""
    num_proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if num_proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(num_proxies, len(addresses))]


class RegistryAnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return getattr(settings, "REGISTRY_ANON_RATE", "120/min")

    def get_ident(self, request):
        return client_address(request)
