"""Bulk import and export of places: parse → typed rows → validation → services/bulk writes.

The commands (``import_places``, ``export_places``) and the admin's import form are thin
wrappers around ``importers.places.import_places`` and ``importers.export.export_places``.
"""
