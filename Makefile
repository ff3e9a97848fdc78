# Entry points for a fresh machine: each target installs what is missing, builds, then runs.
PRESET ?= release
BUILD  := build/$(PRESET)

.PHONY: deps build demo test asan-test fuzz clean install

deps:
	.ci/install-deps

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j$$(nproc)

demo: build
	NUMCTL=$(BUILD)/cli/numctl examples/demo.sh

test: build
	ctest --preset $(PRESET)

# The whole suite under address + undefined behaviour sanitizers (the slow crash suite, and the
# PostgreSQL runs of the suites, whose libpq is not instrumented, excepted).
asan-test: deps
	cmake --preset asan
	cmake --build --preset asan -j$$(nproc)
	MIGRATE_NUMBERS=10000 ctest --preset asan -LE "slow|postgres"

# Replays the seed corpora, then fuzzes each target for FUZZ_SECONDS (new inputs go to a
# scratch directory; a crash leaves its input in build/fuzz/artifacts and fails the run).
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j$$(nproc) --target fuzz_phone fuzz_config fuzz_import fuzz_criteria
	cd build/fuzz && ctest -L fuzz --output-on-failure
	mkdir -p build/fuzz/artifacts
	for target in phone config import criteria; do \
	  scratch=$$(mktemp -d); \
	  build/fuzz/tests/fuzz/fuzz_$$target -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/artifacts/$$target- $$scratch tests/fuzz/corpus/$$target || exit 1; \
	  rm -rf $$scratch; \
	done

install: build
	cmake --install $(BUILD)

clean:
	rm -rf build
