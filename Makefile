# embedlab: make builds, make test checks, make demo shows, make bench measures;
# make sanitize runs the test suite under ASan+UBSan, make fuzz runs the fuzzers.
# The folders follow the data flow: core/ <- embed/ (text, vocabulary, word2vec)
# <- db/ (lab notebook, SQL extension) and rnn/ (classifiers) <- experiments/
# <- cli/; scripts/check-includes.sh keeps the include arrows that way.
#
# CFLAGS and LDFLAGS are the caller's (optimisation, instrumentation):
# `make CFLAGS='-O1 -g -fsanitize=address' BUILD=build-asan` adds to the
# project's own flags (EL_CFLAGS) instead of replacing them.

CC      ?= gcc
CXX     ?= g++
BUILD   ?= build
PKGS    := openblas sqlite3 libutf8proc sentencepiece libmicrohttpd zlib
CFLAGS  ?= -O3 -march=native
LDFLAGS ?=
# -fno-math-errno: nothing here reads errno after sqrt or exp, and without it
# a loop calling sqrtf keeps a branch to the library for errno's sake and is
# never vectorised (the optimiser's row updates ran one float at a time).
EL_CFLAGS := -std=gnu11 -fopenmp -fno-math-errno -Wall -Wextra -I. -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstdc++ -lm
ALL_CFLAGS = $(EL_CFLAGS) $(CFLAGS)
# C++ only where a library is C++ (SentencePiece: embed/text/spm.cc), behind a C API.
ALL_CXXFLAGS = $(filter-out -std=gnu11,$(EL_CFLAGS)) -std=c++17 $(CFLAGS)

# Everything but the CLI and the SQL extension (which the sqlite3 shell loads
# on its own) and the bench programs (scripts/bench-*.sh build those).
LIB_SRC  := $(shell find core embed db rnn experiments web \( -path db/sql -o -path experiments/bench \) -prune -o \
		\( -name '*.c' -o -name '*.cc' \) -print | sort)
CLI_SRC  := $(sort $(wildcard cli/*.c cli/*/*.c))
EXT_SRC  := $(wildcard db/sql/*.c)
# The extension's layer: the library files the .so carries, as ARCHITECTURE.md's
# folder table names them (scripts/check-includes.sh holds them to it).
EXT_LAYER := $(shell scripts/arch-table.sh --layer-c)
TEST_SRC := $(wildcard tests/test_*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

LIB_OBJ  := $(patsubst %.cc,$(BUILD)/obj/%.o,$(LIB_SRC:%.c=$(BUILD)/obj/%.o)) $(BUILD)/obj/web_assets.o
# The page of `embedlab serve` (web/assets/), built into the program as C arrays.
ASSETS   := $(sort $(wildcard web/assets/*))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
FUZZERS  := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)

.PHONY: all tests fuzzers deps data test sanitize fuzz fuzz-long slurm-check bench demo clean format
all: $(BUILD)/embedlab $(BUILD)/embedlab_sqlite.so
tests: $(TESTS)
fuzzers: $(FUZZERS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

$(BUILD)/obj/%.pic.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -c $< -o $@

# What the build is made of, for core/provenance.c: regenerated every time,
# rewritten only when it changes.
$(BUILD)/buildinfo.h: FORCE
	@mkdir -p $(dir $@)
	@EL_BUILD_CC="$(CC)" EL_BUILD_FLAGS="$(CFLAGS)" scripts/buildinfo.sh $@
$(BUILD)/obj/core/provenance.o: $(BUILD)/buildinfo.h
$(BUILD)/obj/core/provenance.o: EL_CFLAGS += -I$(BUILD)
FORCE:

$(BUILD)/gen/web_assets.c: $(ASSETS) scripts/embed-assets.sh
	@mkdir -p $(dir $@)
	scripts/embed-assets.sh $@ $(ASSETS)
$(BUILD)/obj/web_assets.o: $(BUILD)/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libembedlab.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/embedlab: $(CLI_OBJ) $(BUILD)/libembedlab.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The SQL extension is self-contained: the sqlite3 shell loads it without
# OpenMP, BLAS or SentencePiece. Its files call SQLite through the extension's
# API table (EL_SQLITE_EXT), and -z defs makes a call outside the layer a link
# error here rather than a failed .load later.
EXT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.ext.pic.o,$(EXT_SRC) $(EXT_LAYER))
$(BUILD)/embedlab_sqlite.so: $(EXT_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-z,defs -o $@ $^ $(shell pkg-config --libs libutf8proc 2>/dev/null) -lm
$(BUILD)/obj/%.ext.pic.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DEL_SQLITE_EXT -fPIC -c $< -o $@

# The test build of the CLI: the toys of tests/toys/ registered before it runs
# (tests/cli_toys.sh), to show the registries' extension points are real.
TOY_SRC := $(wildcard tests/toys/*.c)
$(BUILD)/tests/embedlab-toys: $(TOY_SRC) $(filter-out $(BUILD)/obj/cli/entry.o,$(CLI_OBJ)) $(BUILD)/libembedlab.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(TOY_SRC) $(filter-out $(BUILD)/obj/cli/entry.o,$(CLI_OBJ)) \
		$(BUILD)/libembedlab.a $(LDLIBS)
tests: $(BUILD)/tests/embedlab-toys

$(BUILD)/tests/%: tests/%.c $(BUILD)/libembedlab.a tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libembedlab.a $(LDLIBS) -lcmocka

# The SQL extension compiled into a program (SQLITE_CORE: its SQLite calls go
# straight to the linked SQLite), for its unit test and the fuzz targets; the
# layer's own files come from the library.
EXT_CORE_OBJ := $(EXT_SRC:%.c=$(BUILD)/obj/%.core.o)
$(BUILD)/obj/%.core.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DSQLITE_CORE -c $< -o $@
$(BUILD)/libembedlab_sql.a: $(EXT_CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/tests/test_sql_ext: tests/test_sql_ext.c $(BUILD)/libembedlab_sql.a $(BUILD)/libembedlab.a tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libembedlab_sql.a $(BUILD)/libembedlab.a $(LDLIBS) -lcmocka

# The --help check runs the CLI in process and sees the getopt entries of
# each command's parse (tests/test_cli_help.c).
$(BUILD)/tests/test_cli_help: tests/test_cli_help.c $(filter-out $(BUILD)/obj/cli/entry.o,$(CLI_OBJ)) \
		$(BUILD)/libembedlab.a tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Wl,--wrap=getopt_long -o $@ $< $(filter-out $(BUILD)/obj/cli/entry.o,$(CLI_OBJ)) \
		$(BUILD)/libembedlab.a $(LDLIBS) -lcmocka

# The gradient checks build the network code again in double precision.
GRAD_SRC := core/common.c core/blas.c $(wildcard rnn/cell*.c) rnn/model.c
$(BUILD)/tests/test_gradients: tests/test_gradients.c $(GRAD_SRC) $(wildcard rnn/*.h core/*.h) tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -DEL_DOUBLE -o $@ tests/test_gradients.c $(GRAD_SRC) $(LDLIBS) -lcmocka

# A fuzz target links the library, and the SQL extension compiled in
# (libembedlab_sql.a, above).
$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/libembedlab_sql.a $(BUILD)/libembedlab.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $< $(BUILD)/libembedlab_sql.a $(BUILD)/libembedlab.a \
		$(LDLIBS)

deps:
	@scripts/deps.sh

data:
	@scripts/data.sh
	@scripts/data-korean.sh

# python3-gensim: the tests load embedlab's exports with gensim, as users do.
# chromium, nodejs, npm and puppeteer-core (scripts/browser-deps.sh): the browser
# test of embedlab serve (tests/cli_browser.sh), which says so when they are missing.
# The structure checks first: include arrows (ARCHITECTURE.md's folder table),
# no function over 100 lines, and every source as clang-format writes it.
test: deps
	@scripts/check-includes.sh
	@scripts/check-functions.sh
	@scripts/deps.sh clang-format
	@scripts/check-format.sh
	@scripts/deps.sh python3-gensim
	@scripts/deps.sh chromium nodejs npm && scripts/browser-deps.sh || \
		echo "embedlab: the browser test (tests/cli_browser.sh) will report that it cannot run" >&2
	@$(MAKE) --no-print-directory all tests
	@scripts/run-tests.sh $(TESTS)

# The whole test suite again, built with AddressSanitizer (leak checking on)
# and UndefinedBehaviorSanitizer in build-san/; the stock sqlite3 shell loads
# the instrumented extension with the ASan runtime preloaded.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san CFLAGS="-O1 -g -fno-omit-frame-pointer $(SAN)" \
		LDFLAGS="$(SAN)" all tests
	@scripts/sanitize.sh build-san

# libFuzzer targets (fuzz/fuzz_*.c) built with clang in build-fuzz/, each run
# for FUZZ_SECONDS on a copy of its seed corpus (fuzz/corpus/NAME/); an input
# slower than 1 s or needing over 2 GB is a finding (scripts/fuzz.sh).
# make fuzz-long runs each target for FUZZ_RUNS inputs instead (hours).
# fuzz/coverage_ignore.txt: arithmetic kernels left out of the coverage
# instrumentation (not of the sanitizers), as it says why.
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?= 1000000
FUZZ := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz fuzz-long: deps
	@scripts/deps.sh clang libomp-14-dev
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CXX=clang++ \
		CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link \
		-fsanitize-coverage-ignorelist=fuzz/coverage_ignore.txt $(FUZZ)" LDFLAGS="$(FUZZ) -fsanitize-link-c++-runtime" fuzzers
	@scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(if $(filter fuzz-long,$@),$(FUZZ_RUNS))

# The README's Slurm recipe under a real one-node Slurm on this machine.
slurm-check: deps all
	@scripts/slurm-check.sh

bench: deps all data
	@scripts/bench.sh

demo: deps all data
	@scripts/demo.sh

format:
	scripts/check-format.sh --fix

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
