# rampart - build, test, demo and benchmark.
#
#   make          build ./rampart (optimised)
#   make demo     install what is missing, build, scan examples/clinic
#   make test     install what is missing, build with ASan+UBSan, run every test
#   make bench    benchmarks against peers, measured in the same run
#   make fuzz     build the libFuzzer targets (clang)
#   make fuzz-run run each target FUZZ_SECONDS (default 60) on its corpus,
#                 keeping what it finds (fuzz/build.sh describes the run)
#   make install  install ./rampart and the data it reads at run time under
#                 $(DESTDIR)$(PREFIX) (default /usr/local); make uninstall
#
# Sources are found by wildcard: a new .c under src/ is built, a new
# tests/**/test_*.c becomes a cmocka test binary.  No list to edit.

CC      ?= gcc
PKGS    := yaml-0.1 libpcre2-8 zlib libdeflate
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wvla
BASE    := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS)
# -O3: `rampart trail detect` over 1 GB of CloudTrail (bench/trail/run.sh) ran
# 4% faster than at -O2 (best of 9: 0.98 s against 1.02 s, 1.72 against 1.80
# CPU s); the parser's per-member loops gain from the unrolling.
CFLAGS_REL  := $(BASE) -O3 -g
# GCC's -fsanitize=undefined leaves out float-cast-overflow (a double out of
# the range of the integer it is converted to: FromPort 7.8e62 as a long).
CFLAGS_SAN  := $(BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow \
	       -fno-sanitize-recover=all
LDLIBS  := $(PKG_LIBS) -lpthread -lm

SRC      := $(shell find src -name '*.c' | LC_ALL=C sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
HDR      := $(shell find src -name '*.h')
TEST_SRC := $(shell find tests -name 'test_*.c' 2>/dev/null | LC_ALL=C sort)
TEST_SUPPORT := $(filter-out $(TEST_SRC),$(shell find tests -name '*.c' 2>/dev/null))

REL_OBJ  := $(patsubst %.c,build/rel/%.o,$(LIB_SRC))
SAN_OBJ  := $(patsubst %.c,build/san/%.o,$(LIB_SRC))
SAN_SUP  := $(patsubst %.c,build/san/%.o,$(TEST_SUPPORT))
TEST_BIN := $(patsubst tests/%.c,build/san/tests/%,$(TEST_SRC))

.PHONY: all deps demo test golden bench fuzz fuzz-run clean
all: rampart

deps:
	@./scripts/deps.sh

rampart: $(REL_OBJ) build/rel/src/main.o
	$(CC) $(CFLAGS_REL) -o $@ $^ $(LDLIBS)

build/rampart-san: $(SAN_OBJ) build/san/src/main.o
	$(CC) $(CFLAGS_SAN) -o $@ $^ $(LDLIBS)

build/rel/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -c -o $@ $<

build/san/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -c -o $@ $<

build/san/tests/%: tests/%.c $(SAN_OBJ) $(SAN_SUP) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_SAN) -Itests -Itests/support -o $@ $< $(SAN_OBJ) $(SAN_SUP) $(LDLIBS) -lcmocka

# Golden-output tests alone (scripts/update-golden.sh regenerates them).
golden: deps
	@$(MAKE) --no-print-directory -s build/rampart-san
	@sh tests/cli/golden.sh

demo: deps
	@$(MAKE) --no-print-directory -s rampart
	@./scripts/demo.sh

test: deps
	@$(MAKE) --no-print-directory -s build/rampart-san $(TEST_BIN)
	@./tests/run.sh $(TEST_BIN)

bench: deps
	@$(MAKE) --no-print-directory -s rampart
	@./bench/run.sh

fuzz:
	@./scripts/deps.sh --fuzz
	@./fuzz/build.sh

FUZZ_SECONDS ?= 60
fuzz-run:
	@./scripts/deps.sh --fuzz
	@./fuzz/build.sh --run $(FUZZ_SECONDS)

clean:
	rm -rf build rampart

# Installing: the binary in $(PREFIX)/bin and the files it reads at run time
# (the bundled Sigma rules, with their licence) in $(PREFIX)/share/rampart,
# where the binary looks for them relative to itself (so DESTDIR staging and
# a moved prefix work).  Everything else it needs is compiled in.
# INSTALL_BIN is what gets installed (the tests install the sanitizer build).
PREFIX      ?= /usr/local
INSTALL_BIN ?= rampart
SIGMA_FILES := $(wildcard data/sigma/cloudtrail/*.yml) data/sigma/cloudtrail/LICENSE data/sigma/cloudtrail/SOURCE
bindir      := $(DESTDIR)$(PREFIX)/bin
sigmadir    := $(DESTDIR)$(PREFIX)/share/rampart/sigma/cloudtrail

.PHONY: install uninstall

install: $(INSTALL_BIN)
	install -d '$(bindir)' '$(sigmadir)'
	install -m 755 '$(INSTALL_BIN)' '$(bindir)/rampart'
	install -m 644 $(SIGMA_FILES) '$(sigmadir)'

uninstall:
	rm -f '$(bindir)/rampart' $(addprefix '$(sigmadir)'/,$(notdir $(SIGMA_FILES)))
	-rmdir '$(sigmadir)' '$(DESTDIR)$(PREFIX)/share/rampart/sigma' '$(DESTDIR)$(PREFIX)/share/rampart' 2>/dev/null
