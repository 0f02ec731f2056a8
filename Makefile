# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed

.PHONY: demo test install lint format lock messages compile-messages bench-checkin bench-import bench-stats clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fugong demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	FUGONG_DEBUG=1 $(BIN)/fugong makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Translations: English source strings, Chinese in each app's locale/zh_Hans (see docs/DEVELOPING.md).
APPS := $(patsubst fugong/%/apps.py,%,$(wildcard fugong/*/apps.py))
messages: $(STAMP)
	for app in $(APPS); do \
	  mkdir -p fugong/$$app/locale && \
	  (cd fugong/$$app && FUGONG_DEBUG=1 FUGONG_HOME=$(CURDIR)/var ../../$(BIN)/fugong makemessages -l zh_Hans --no-obsolete --no-location -v0 -i "tests/*") || exit 1; \
	done
	mkdir -p fugong/locale && cd fugong && FUGONG_DEBUG=1 FUGONG_HOME=$(CURDIR)/var ../$(BIN)/fugong makemessages -l zh_Hans --no-obsolete --no-location -v0 \
	  $(foreach app,$(APPS),-i "$(app)/*") -i "locale/*"

compile-messages: $(STAMP)
	FUGONG_DEBUG=1 $(BIN)/fugong compilemessages -v0 --ignore ".venv/*"

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11

bench-checkin: $(STAMP)
	$(BIN)/python bench/checkin.py

bench-import: $(STAMP)
	$(BIN)/python bench/roster_import.py

bench-stats: $(STAMP)
	$(BIN)/python bench/stats.py

clean:
	rm -rf $(VENV) var .pytest_cache
