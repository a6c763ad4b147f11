# Two commands: `make run` (set up and serve on SQLite) and `make test` (set up and run the suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup gdal migrate demo serve lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# GDAL's command-line tools (ogr2ogr) write the GeoPackage and Shapefile exports; on Debian
# they are installed when missing (as root), elsewhere see the README.
gdal:
	@command -v ogr2ogr >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -qq gdal-bin >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gdal-bin >/dev/null; }; \
	  else echo "note: GDAL (ogr2ogr) not found: GeoPackage/Shapefile exports and their tests need it (README)"; fi; }

setup: $(STAMP) gdal

migrate: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_demo_admin

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:8000

run: demo serve

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff: lint and the one layout, as .ci/run checks them; `make format` lays the tree out.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
