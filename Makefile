# The two commands a newcomer needs (see README):
#   make run    install what is missing, build, start the server on http://127.0.0.1:8080
#   make test   install what is missing, build with ASan/UBSan, run every test tier
BUILD      ?= build
TEST_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: run test test-deps deps build build-test bench bench-deps unit clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)
	cmake --build $(BUILD)

run: build
	@scripts/run.sh $(BUILD)/src/stratus

build-test: deps
	cmake -S . -B $(TEST_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRATUS_SANITIZE=ON \
	  -DSTRATUS_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(TEST_BUILD)

test-deps:
	@scripts/install-test-deps.sh

test: build-test test-deps
	cd $(TEST_BUILD) && ctest --output-on-failure --timeout 900

# Unit tier only: no root, no services, seconds.
unit: build-test
	cd $(TEST_BUILD) && ctest --output-on-failure -L unit

bench-deps:
	@scripts/install-bench-deps.sh

bench: build bench-deps
	$(BUILD)/bench/stratus_bench --benchmark_counters_tabular=true
	$(BUILD)/bench/stratus_auth_bench
	$(BUILD)/bench/stratus_storage_bench
	$(BUILD)/bench/stratus_engine_bench
	$(BUILD)/bench/stratus_nanos_bench
	$(BUILD)/bench/stratus_web_bench

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
