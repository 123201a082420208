# Plaza: `make run` serves the demo on SQLite, `make test` runs every test (SQLite, then PostgreSQL).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.app-installed $@

run: $(VENV)/.app-installed
	FLASK_DEBUG=1 $(BIN)/flask db upgrade
	FLASK_DEBUG=1 $(BIN)/flask seed-demo --with-votes
	@echo "E-mails Plaza sends are written to $(CURDIR)/instance/outbox/ (no SMTP server in the demo)."
	FLASK_DEBUG=1 $(BIN)/flask run --host $${HOST:-127.0.0.1} --port $${PORT:-5000}

test: $(VENV)/.dev-installed
	bash scripts/test.sh

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks.bench_pairwise

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
