# Entry points for a fresh machine: each target installs what is missing, builds, then runs.
PRESET ?= release
BUILD  := build/$(PRESET)

.PHONY: deps build demo test clean install

deps:
	.ci/install-deps

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j$$(nproc)

demo: build
	NUMCTL=$(BUILD)/cli/numctl examples/demo.sh

test: build
	ctest --preset $(PRESET)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf build
