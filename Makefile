# lessee: the top-level driver around Meson + Ninja.
#   make          build everything into build/ (release flags, hardened)
#   make check    every test: unit (ASan+UBSan), fuzz smoke, network (root)
#   make demo     the main job on its embedded default
#   make fuzz     run each fuzzer for FUZZ_SECONDS
#   make bench    benchmarks, side by side with the peers
# CI=true turns warnings into errors.

BUILD        ?= build
CHECK_BUILD  ?= build-check
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 300
SMOKE_SECONDS ?= 30
PYTHON       ?= /usr/bin/python3

WERROR := $(if $(filter true 1 yes,$(CI)),-Dwerror=true,)

.PHONY: all deps check unit fuzz-smoke net fuzz bench demo clean install

all: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=release $(WERROR)
	ninja -C $(BUILD)

deps:
	@scripts/deps build

$(CHECK_BUILD)/build.ninja:
	meson setup $(CHECK_BUILD) --buildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false $(WERROR)

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --buildtype=debugoptimized -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false -Dtests=disabled $(WERROR)

check:
	@scripts/deps test
	@rm -f $(CHECK_BUILD)/net-results.xml $(FUZZ_BUILD)/fuzz-results.txt
	@$(MAKE) -k --no-print-directory unit fuzz-smoke net; status=$$?; \
	  $(PYTHON) scripts/summary $(CHECK_BUILD) $(FUZZ_BUILD); \
	  exit $$status

unit: $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	meson test -C $(CHECK_BUILD) --print-errorlogs --num-processes 2

# lessee against the real servers in throwaway namespaces (root; fails, never
# skips, when namespaces cannot be made). Results for scripts/summary.
net: $(CHECK_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	tests/net/run $(CHECK_BUILD) --junitxml=$(abspath $(CHECK_BUILD))/net-results.xml

fuzz-smoke: $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	scripts/fuzz $(FUZZ_BUILD) $(SMOKE_SECONDS)

fuzz: $(FUZZ_BUILD)/build.ninja
	@scripts/deps test
	ninja -C $(FUZZ_BUILD)
	scripts/fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

bench: all
	@scripts/deps bench
	bench/run $(BUILD)

demo: all
	@scripts/deps demo
	scripts/demo $(BUILD)

install: all
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir $(DESTDIR),)

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
