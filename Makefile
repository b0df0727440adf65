# yosan — common tasks. `make help` lists them.
CARGO        ?= cargo
TARGET_DIR   := $(or $(CARGO_TARGET_DIR),target)
YOSAN        := $(TARGET_DIR)/release/yosan
CORPUS       ?= ../shared/corpus
OUT          ?= out

.PHONY: help build demo test ci bench bless fmt fmt-check lint corpus-check tools fuzz

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

build: ## Build the yosan binary (release)
	$(CARGO) build --release -p yosan

demo: build ## Ingest the bundled fixtures into ./out and show what came out
	$(YOSAN) ingest fixtures/inputs --sources fixtures/sources.json --out $(OUT) ; \
	  status=$$? ; [ $$status -le 1 ] || exit $$status
	$(YOSAN) show $(OUT)

test: ## Run every test (unit, fixtures, corpus tests where ../shared/corpus exists)
	$(CARGO) test --release --workspace

bless: ## Rewrite the golden outputs and generated docs from the current code
	YOSAN_BLESS=1 $(CARGO) test --release --workspace -- golden stale
	@git status --short fixtures schemas

fmt: ## Format the code
	$(CARGO) fmt --all

fmt-check:
	$(CARGO) fmt --all -- --check

lint: ## Clippy with warnings as errors
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings

tools: ## Install the reference tools the corpus checks and benchmarks compare against
	@command -v pdftotext >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq poppler-utils) >/dev/null 2>&1 || echo "note: could not install poppler-utils; pdftotext comparisons will be skipped"; }

corpus-check: build tools ## Ingest the real files in ../shared/corpus and check the known totals
	@if [ -d "$(CORPUS)" ]; then YOSAN_CORPUS=$(CORPUS) $(CARGO) test --release -p yosan --test integration -- corpus --nocapture; \
	 else echo "corpus checks skipped: $(CORPUS) not found"; fi

ci: fmt-check tools test corpus-check ## What CI runs: format check, all tests, corpus checks

bench: build tools ## Speed and memory against the reference tools, as ratios
	bash scripts/bench.sh

fuzz: ## Fuzz each target in fuzz/ for FUZZ_SECONDS (default 60); crashers go to fuzz/regressions/
	bash scripts/fuzz.sh
