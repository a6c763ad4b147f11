"""OGC API – Features (Part 1 Core, GeoJSON and HTML) at ``/ogc/``, for GIS clients such as QGIS and GDAL."""
