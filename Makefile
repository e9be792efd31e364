# Set-up, build and test in one place; the README names `make book` and `make test`.
# Every target installs what it needs first, so both work on a fresh machine.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# jb build for the site, the decks or both, from one interpreter (tools/build.py).
BUILD := $(PY) tools/build.py
INSTALLED := $(VENV)/.installed
# The lock is installed by uv, itself pinned in the lock: pip, one package after another,
# takes most of a minute of a fresh clone's set-up; uv a third of it. uv writes no bytecode
# unless asked, and PYTHONDONTWRITEBYTECODE may forbid imports to write it, so it compiles
# the bytecode when it installs: otherwise every process (kernel, worker, build) would
# compile the sources of everything it imports.
UV_VERSION = $(shell sed -n 's/^uv==\([^ ;]*\).*/\1/p' requirements-lock.txt)
UV_INSTALL := $(VENV)/bin/uv pip install --python $(PY) --compile-bytecode
# Jupyter Book flags of the gated build: warnings are errors, references are checked.
# The site and the decks share one Sphinx environment, reused while nothing changes (a
# no-change build re-reads no page); a failed build deletes it, so the next one re-reads
# every page and an earlier failure cannot hide behind an incremental build.
JB_FLAGS := -W -n --keep-going
FORGET_ON_FAILURE := || { rm -rf _build/.doctrees; exit 1; }
APT_PACKAGES := gcc gfortran octave chromium fonts-dejavu-core fonts-noto-color-emoji
export XLA_PYTHON_CLIENT_PREALLOCATE := false
# Every test in one run on two workers, in the order tests/book/conftest.py gives: the
# notebook run first, whose worker builds the book (one build shared by every build and
# browser test) while the other worker runs the tests that need no build; the tests that
# read the build last. Groups keep the tests of one page or shared fixture on one worker.
TESTS := -n 2 --dist loadgroup --no-loadscope-reorder tests
# A reader's CPU may lack AVX-512, whose SIMD code rounds last bits differently. Where this
# CPU has it, make test runs the package tests again at the same time, in one more process,
# with NumPy's dispatch and XLA held to AVX2, so a test that leans on one CPU's rounding
# fails here before it fails for a reader; their output follows the main run's. (Without
# AVX-512 the first run is already the AVX2 one; newer sets cannot be emulated.) Left out:
# the tests marked `processes`, which check how several processes meet, solve and fail;
# the numbers they compare are held by the same tolerances as the one-process solves'.
AVX2_TESTS := -m "not build and not browser and not processes" tests
AVX2 := NPY_DISABLE_CPU_FEATURES="X86_V4 AVX512_ICL AVX512_SPR" XLA_FLAGS=--xla_cpu_max_isa=AVX2
HAS_AVX512 := $(shell grep -qs '^flags.* avx512f' /proc/cpuinfo && echo yes)

# Set-up steps that do not need each other run side by side (pip beside npm).
MAKEFLAGS += --jobs=2

.PHONY: jb-flags book html slides present test unit unit-avx2 lint stub system clean device-check jax-platform

book: $(INSTALLED) system node_modules/.installed  ## build the site (_build/html) and the decks (_build/revealjs)
	$(BUILD) html revealjs -- . $(JB_FLAGS) $(FORGET_ON_FAILURE)

html: $(INSTALLED) system
	$(BUILD) html -- . $(JB_FLAGS) $(FORGET_ON_FAILURE)

slides: $(INSTALLED) system node_modules/.installed
	$(BUILD) revealjs -- . $(JB_FLAGS) $(FORGET_ON_FAILURE)

present: $(INSTALLED)  ## the built decks, live: a local Jupyter server runs their code (key E)
	$(PY) tools/present.py

test: $(INSTALLED) system node_modules/.installed lint  ## every check: lint, spelling, unit, build and browser tests
	$(if $(HAS_AVX512),$(AVX2_START)) \
	$(PY) -m pytest $(TESTS); status=$$?; \
	$(if $(HAS_AVX512),$(AVX2_REPORT)) \
	exit $$status

AVX2_START = avx2_log=$$(mktemp); \
	$(AVX2) $(PY) -m pytest -n 0 -p no:cacheprovider $(AVX2_TESTS) > $$avx2_log 2>&1 & avx2=$$!;
AVX2_REPORT = wait $$avx2 || status=1; \
	echo 'The package tests again, NumPy and XLA held to AVX2 ($(AVX2)):'; \
	cat $$avx2_log; rm -f $$avx2_log;

unit: $(INSTALLED) system lint  ## the inner loop: package and extension tests and doctests, no builds
	$(PY) -m pytest -n 2 --dist loadgroup -m "not build and not browser and not slow" tests

unit-avx2: $(INSTALLED) system  ## the package tests, NumPy and XLA held to AVX2
	$(AVX2) $(PY) -m pytest -n 2 --dist loadgroup $(AVX2_TESTS)

stub: $(INSTALLED)  ## regenerate code/jaxecon/__init__.pyi from jaxecon.API (a test fails while it is stale)
	PYTHONPATH=code $(PY) -m jaxecon._stub

lint: $(INSTALLED)
	$(VENV)/bin/ruff check code tests _ext tools
	$(VENV)/bin/codespell book code _ext tests tools README.md

$(INSTALLED): requirements-lock.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV_INSTALL) --quiet --no-deps -r requirements-lock.txt  # the lock is complete: no resolving
	$(UV_INSTALL) --quiet --no-deps -e .
	$(PY) -m pip check  # and says so: a dependency missing from the lock stops here
	touch $@

node_modules/.installed: package.json package-lock.json tools/npm_packages.py | system  ## axe-core for the accessibility test, Thebe for live decks
	python3 tools/npm_packages.py  # the two pinned packages alone: their browser files are all the book uses
	touch $@

system:  ## compilers, the browser and npm from Debian (needs root or sudo)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

# JAX for the platform a build computes on (the publish workflow and .ci/device-check):
# PLATFORM=gpu installs the CUDA build of the locked jax version; then JAX must compute
# on PLATFORM, or the build stops before measuring anything. PIP_FLAGS passes options to
# pip, e.g. --no-index --find-links DIR.
PLATFORM ?= cpu
JAX_VERSION = $(shell sed -n 's/^jax==\([^ ;]*\).*/\1/p' requirements-lock.txt)
jax-platform:
	@test -n "$(JAX_VERSION)" || { echo "jax-platform: no 'jax==' line in requirements-lock.txt" >&2; exit 1; }
	$(if $(filter gpu,$(PLATFORM)),$(PY) -m pip install --quiet $(PIP_FLAGS) "jax[cuda12]==$(JAX_VERSION)")
	$(PY) -m jaxecon.devices --require $(PLATFORM)

# On an NVIDIA GPU machine: the whole book computed afresh on the GPU, JAX's platform
# asserted, bench records appended to results/. WHEELS=DIR installs from local wheels only.
device-check: system
	.ci/device-check $(if $(WHEELS),--wheels $(WHEELS)) $(DEVICE_CHECK_FLAGS)

clean:
	rm -rf _build

jb-flags:  ## the gated build's flags, for scripts that run jb themselves (.ci/device-check)
	@echo $(JB_FLAGS)
