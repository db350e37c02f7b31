# Fairhearing: the two commands a newcomer needs are `make run` and `make test`.
# Meson does the real work; this file only names the everyday tasks.

BUILD      ?= build
TESTBUILD  ?= build-test
DB         ?= var/demo.db
LISTEN     ?= 127.0.0.1:8080
MESON_OPTS ?=
FUZZBUILD  ?= build-fuzz
TSANBUILD  ?= build-tsan
FUZZ_SECONDS ?= 60

.PHONY: all deps run test testbuild-options check-threads bench clean demo fuzz

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized $(MESON_OPTS)

# The tests' build: debug information, AddressSanitizer and UBSan, at -O1
# (no --buildtype: meson's "debug" would put -O0 back). -O1 costs the build
# some 40 CPU-seconds more and saves the tests several times that, a fifth
# of lifecycle_allowed and 3 to 11 % of the others (docs/performance.md,
# "The test suite's time"). The options are kept in
# $(TESTBUILD)/fh-test-options, so a build-test made by an older line of this
# file is brought to them (meson configure) rather than kept at -O0.
TESTBUILD_OPTS = -Ddebug=true -Doptimization=1 -Db_sanitize=address,undefined
$(TESTBUILD)/build.ninja:
	meson setup $(TESTBUILD) $(TESTBUILD_OPTS) $(MESON_OPTS)
	echo '$(TESTBUILD_OPTS)' >$(TESTBUILD)/fh-test-options

testbuild-options: $(TESTBUILD)/build.ninja
	@if [ "$$(cat $(TESTBUILD)/fh-test-options 2>/dev/null)" != '$(TESTBUILD_OPTS)' ]; then \
	  echo "$(TESTBUILD) was set up with other options: meson configure $(TESTBUILD_OPTS)"; \
	  meson configure $(TESTBUILD) $(TESTBUILD_OPTS) && \
	  echo '$(TESTBUILD_OPTS)' >$(TESTBUILD)/fh-test-options; \
	fi

# Creates the demo database on first use, then serves it.
run: all
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then ./$(BUILD)/fairhearing init --db $(DB) --demo; fi
	./$(BUILD)/fairhearing serve --db $(DB) --listen $(LISTEN)

test: deps testbuild-options
	ninja -C $(TESTBUILD)
	bash tests/run.sh $(TESTBUILD)

# The server's threaded tests under ThreadSanitizer, in $(TSANBUILD)/, on both
# database engines (scripts/check-threads.sh; docs/architecture.md). Not part
# of `make test`: it takes longer than that run can spare on two cores.
check-threads: deps
	bash scripts/check-threads.sh $(TSANBUILD)

bench: all
	bash bench/run.sh $(BUILD)

# Every libFuzzer target for FUZZ_SECONDS each (clang, in $(FUZZBUILD)/; tests/fuzz/).
fuzz: deps
	bash tests/fuzz/run.sh --build $(FUZZBUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(TESTBUILD) $(FUZZBUILD) $(TSANBUILD)
