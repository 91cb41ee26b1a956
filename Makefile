# Two entry points for a fresh Debian machine: `make demo` and `make test`.
# Both build .venv (with the `heishi` command) and install Debian's chromium and
# redis-server when they are missing.

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint system clean native

# The extractor's rules compiled with mypyc (nlp/native.py); rebuilt when a module of nlp changes.
NATIVE := build/native/manifest.json

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NATIVE): $(STAMP) $(wildcard nlp/*.py)
	HEISHI_PURE_PYTHON=1 $(BIN)/python -c 'from nlp.native import build; print("compiled", build())'

native: $(NATIVE)

system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP) $(NATIVE) system
	$(BIN)/heishi demo

test: $(STAMP) $(NATIVE) system
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache build/native
