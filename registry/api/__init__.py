"""The REST API (DRF): lookups, search, time travel, name checks. Reads only the selectors and search; writes through services."""
