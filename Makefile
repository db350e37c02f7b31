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

.PHONY: all deps run test check-threads bench clean demo fuzz

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized $(MESON_OPTS)

$(TESTBUILD)/build.ninja:
	meson setup $(TESTBUILD) --buildtype=debug -Db_sanitize=address,undefined $(MESON_OPTS)

# Creates the demo database on first use, then serves it.
run: all
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then ./$(BUILD)/fairhearing init --db $(DB) --demo; fi
	./$(BUILD)/fairhearing serve --db $(DB) --listen $(LISTEN)

test: deps $(TESTBUILD)/build.ninja
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
