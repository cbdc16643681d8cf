# lessee: the top-level driver around Meson + Ninja.
#   make          build everything into build/ (release flags, hardened)
#   make check    every test: unit (ASan+UBSan), fuzz smoke, network (root;
#                 the quick subset: -m "not slow", with the 30 s flood, the
#                 2-minute soak and the valgrind run)
#   make hostile  every test under tests/net/hostile, slow ones included
#   make soak     test_soak for SOAK_MINUTES (default 30) of 10 s leases
#   make demo     the main job on its embedded default
#   make fuzz     run each fuzzer for FUZZ_SECONDS
#   make bench    benchmarks, side by side with the peers
# CI=true turns warnings into errors.

BUILD        ?= build
CHECK_BUILD  ?= build-check
FUZZ_BUILD   ?= build-fuzz
# -Dsandbox=false, for the valgrind run only (tests/net/hostile/test_valgrind.py)
VG_BUILD     ?= build-valgrind
SOAK_MINUTES ?= 30
FUZZ_SECONDS ?= 300
SMOKE_SECONDS ?= 30
PYTHON       ?= /usr/bin/python3

WERROR := $(if $(filter true 1 yes,$(CI)),-Dwerror=true,)

.PHONY: all deps check unit fuzz-smoke net hostile soak fuzz bench demo clean install

all: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=release $(WERROR)
	ninja -C $(BUILD)

deps:
	@scripts/deps build

$(CHECK_BUILD)/build.ninja:
	meson setup $(CHECK_BUILD) --buildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false $(WERROR)

# Small and quick: no unit tests, no lessee-dump, no optimisation (valgrind
# reads -O0 best).
$(VG_BUILD)/build.ninja:
	meson setup $(VG_BUILD) --buildtype=debug -Dsandbox=false -Dtests=disabled \
		-Dtools=disabled $(WERROR)

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
net: $(CHECK_BUILD)/build.ninja $(VG_BUILD)/build.ninja
	ninja -C $(CHECK_BUILD)
	ninja -C $(VG_BUILD)
	LESSEE_VALGRIND_BIN=$(abspath $(VG_BUILD))/src/lessee/lessee tests/net/run $(CHECK_BUILD) \
		-m "not slow" --junitxml=$(abspath $(CHECK_BUILD))/net-results.xml

# The hostile-network suite whole: rogue server, flood, soak, valgrind.
hostile: $(CHECK_BUILD)/build.ninja $(VG_BUILD)/build.ninja
	@scripts/deps test
	ninja -C $(CHECK_BUILD)
	ninja -C $(VG_BUILD)
	LESSEE_VALGRIND_BIN=$(abspath $(VG_BUILD))/src/lessee/lessee tests/net/run $(CHECK_BUILD) \
		tests/net/hostile

soak: $(CHECK_BUILD)/build.ninja
	@scripts/deps test
	ninja -C $(CHECK_BUILD)
	SOAK_SECONDS=$$(($(SOAK_MINUTES) * 60)) tests/net/run $(CHECK_BUILD) \
		tests/net/hostile/test_soak.py

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
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD) $(VG_BUILD)
