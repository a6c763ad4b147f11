"""The OGC tests read the demo registry, loaded once per module as the API tests do."""

from tests.api.conftest import demo, fresh_throttle  # noqa: F401
