"""Services: every write to the registry goes through here (admin, API, import alike)."""
