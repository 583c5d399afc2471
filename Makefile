# A thin front over CMake (as Neovim does). `make run` and `make test` are the two commands.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps test-deps configure build run test bench clean

all: build

deps:
	@bash tools/install-deps.sh build

test-deps:
	@bash tools/install-deps.sh test

# Configures every time (a few seconds): picks up packages installed since, and turns a build
# folder that was configured otherwise back into a Release build.
configure:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps
	$(MAKE) --no-print-directory configure
	cmake --build $(BUILD) -j$(JOBS)

# Only the app: the first start needs no test or benchmark builds.
run: deps
	$(MAKE) --no-print-directory configure
	cmake --build $(BUILD) -j$(JOBS) --target digitlab
	./$(BUILD)/app/digitlab

test: test-deps
	$(MAKE) --no-print-directory configure
	cmake --build $(BUILD) -j$(JOBS)
	QT_QPA_PLATFORM=offscreen ctest --test-dir $(BUILD) --output-on-failure --no-tests=error

bench: test-deps
	$(MAKE) --no-print-directory configure
	cmake --build $(BUILD) -j$(JOBS)
	bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)
