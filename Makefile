# The README's two commands: `make run` and `make test`. Also `make bench`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
# Two stamps: `make run` installs the runtime dependencies only, `make test` adds the test extras.
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
HOST ?= 127.0.0.1
PORT ?= 8000
ZHIBU_WORKERS ?= 2
DB ?= sqlite

.PHONY: run test bench venv demo clean

venv: $(TEST_STAMP)

define install  # $(1) = what pip installs
	@scripts/ensure-python.sh "$(PYTHON)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '$(1)'
	@find $(VENV) -maxdepth 1 -name '.installed-*' ! -name '*-$(HASH)' -delete
endef

$(RUN_STAMP): pyproject.toml
	$(call install,.)
	@touch $@

$(TEST_STAMP): pyproject.toml
	$(call install,.[test])
	@touch $@ $(RUN_STAMP)

# Production parts on the development machine (scripts/run.sh): gunicorn workers (ZHIBU_WORKERS), static
# files through whitenoise, the cache in the database (shared by the workers), reminders once at start.
run: $(RUN_STAMP)
	HOST=$(HOST) PORT=$(PORT) ZHIBU_WORKERS=$(ZHIBU_WORKERS) scripts/run.sh

test: $(TEST_STAMP)
	scripts/test.sh

# `make bench` on SQLite; `make bench DB=postgres` on the throwaway cluster of the tests as well.
bench: $(RUN_STAMP)
	scripts/bench.sh $(DB)

clean:
	rm -rf $(VENV) var
