# embedlab: make builds, make test checks, make demo shows, make bench measures.
# The folders follow the data flow: embed/ (text, vocabulary, word2vec) ->
# db/ (lab notebook, SQL extension) -> rnn/ (classifiers) -> experiments/.

CC      ?= gcc
BUILD   := build
PKGS    := openblas sqlite3
CFLAGS  ?= -O3 -march=native
CFLAGS  += -std=gnu11 -fopenmp -Wall -Wextra -I. -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

# Everything but the CLI and the SQL extension (which the sqlite3 shell loads on its own).
LIB_SRC  := $(filter-out db/sqlite_ext.c,$(wildcard core/*.c embed/*.c db/*.c rnn/*.c experiments/*.c))
CLI_SRC  := $(wildcard cli/*.c)
EXT_SRC  := db/sqlite_ext.c
TEST_SRC := $(wildcard tests/test_*.c)

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all deps data test bench demo clean format
all: $(BUILD)/embedlab $(BUILD)/embedlab_sqlite.so

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.pic.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c $< -o $@

$(BUILD)/libembedlab.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/embedlab: $(CLI_OBJ) $(BUILD)/libembedlab.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The SQL extension is self-contained: the sqlite3 shell loads it without
# OpenMP or BLAS.
$(BUILD)/embedlab_sqlite.so: $(BUILD)/obj/db/sqlite_ext.pic.o $(BUILD)/obj/db/vecmath.pic.o
	$(CC) -shared -o $@ $^ -lm

$(BUILD)/tests/%: tests/%.c $(BUILD)/libembedlab.a tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libembedlab.a $(LDLIBS) -lcmocka

# The gradient checks build the network code again in double precision.
GRAD_SRC := core/common.c core/blas.c $(wildcard rnn/cell*.c) rnn/model.c
$(BUILD)/tests/test_gradients: tests/test_gradients.c $(GRAD_SRC) $(wildcard rnn/*.h core/*.h) tests/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DEL_DOUBLE -o $@ tests/test_gradients.c $(GRAD_SRC) $(LDLIBS) -lcmocka

deps:
	@scripts/deps.sh

data:
	@scripts/data.sh

test: deps
	@$(MAKE) --no-print-directory all $(TESTS)
	@scripts/run-tests.sh $(TESTS)

bench: deps all data
	@scripts/bench.sh

demo: deps all data
	@scripts/demo.sh

format:
	clang-format -i $(wildcard */*.c */*.h)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
