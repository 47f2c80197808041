# ct-tools: four small programs over one library.
#
#   make                build bin/ct-* (tools whose folder has a main.c)
#   make check          build, run the suite, then run it again under ASan+UBSan
#   make check-fast     the suite once, plain build only
#   make deps           install the Debian packages that are missing (apt-get)
#   make demo           the main job on the project's own sample data
#   make bench          throughput figures (see bench/)
#   make install        PREFIX=/usr/local DESTDIR=
#
# Sources are found by wildcard: lib/*.c is the shared library, <tool>/*.c a
# program, tests/unit/test_*.c one unit-test binary each.  Adding a file
# needs no edit here.

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DESTDIR   ?=

CC        ?= cc
WARN       = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
HARDEN     = -D_FORTIFY_SOURCE=2 -fstack-protector-strong
OPT       ?= -O3 -g
CFLAGS    ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DCT_VERSION='"$(VERSION)"' $(WARN) $(HARDEN) \
             -I/usr/include/freetype2 -Ilib -pthread $(CFLAGS) $(SAN) $(EXTRA_CFLAGS)
LDFLAGS   ?=
ALL_LDFLAGS= -pthread -Wl,-z,relro,-z,now $(LDFLAGS) $(SAN) $(EXTRA_LDFLAGS)
LIBS       = -lcurl -lssl -lcrypto -lpng -lfreetype -lfontconfig -ldeflate -lz -lm

# Build variant: objects go to $(OUT), programs to $(BIN).
OUT       ?= build/default
BIN       ?= bin

TOOLS     := ct-aggregate ct-regions ct-fetch ct-plot
PRESENT   := $(foreach t,$(TOOLS),$(if $(wildcard $(t)/main.c),$(t)))
PROGRAMS  := $(PRESENT:%=$(BIN)/%)

LIB_SRC   := $(wildcard lib/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(OUT)/%.o)
LIB_A     := $(OUT)/libct.a
HDRS      := $(wildcard lib/*.h ct-*/*.h sample/*.h)

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(OUT)/tests/%)

# Helper programs (not installed), one .c each in tools/: test and bench
# probes (see tools/README).  The sample-data generator is a helper too, in
# a folder of its own (sample/*.c); it is built as $(OUT)/tools/ct-sample
# beside the others, where the tests, bench, demo and emulator.sh call it.
AUX_SRC   := $(wildcard tools/*.c)
AUX_BIN   := $(AUX_SRC:tools/%.c=$(OUT)/tools/%)
SAMPLE_OBJ:= $(patsubst %.c,$(OUT)/%.o,$(wildcard sample/*.c))
SAMPLE_BIN:= $(OUT)/tools/ct-sample

# The tools again, with the test hooks (-DCT_TEST_HOOKS: ct-aggregate's
# --chunk-size and --max-value, ct-fetch's CT_FETCH_TEST_KILL_* crashes), for
# the tests only: in $(OUT)/test-bin, never installed.
TEST_BIN  := $(patsubst %,$(OUT)/test-bin/%,$(filter ct-aggregate ct-fetch,$(PRESENT)))

all: $(PROGRAMS) $(UNIT_BIN) $(AUX_BIN) $(SAMPLE_BIN) $(TEST_BIN)

$(OUT)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -I$(dir $<) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

define tool_rule
$(1)_OBJ := $$(patsubst %.c,$$(OUT)/%.o,$$(wildcard $(1)/*.c))
$$(BIN)/$(1): $$($(1)_OBJ) $$(LIB_A)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJ) $$(LIB_A) $$(LIBS)
endef
$(foreach t,$(PRESENT),$(eval $(call tool_rule,$(t))))

$(OUT)/test-obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCT_TEST_HOOKS -I$(dir $<) -c -o $@ $<

define test_tool_rule
$(1)_TOBJ := $$(patsubst %.c,$$(OUT)/test-obj/%.o,$$(wildcard $(1)/*.c))
$$(OUT)/test-bin/$(1): $$($(1)_TOBJ) $$(LIB_A)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$($(1)_TOBJ) $$(LIB_A) $$(LIBS)
endef
$(foreach t,$(filter ct-aggregate ct-fetch,$(PRESENT)),$(eval $(call test_tool_rule,$(t))))

$(OUT)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(OUT)/tools/%: tools/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

$(SAMPLE_BIN): $(SAMPLE_OBJ) $(LIB_A)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(SAMPLE_OBJ) $(LIB_A) $(LIBS)

# ---- tests ---------------------------------------------------------------
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

check: all
	@$(MAKE) --no-print-directory check-fast
	@$(MAKE) --no-print-directory check-asan

check-fast: all
	CT_BIN=$(abspath $(BIN)) CT_OUT=$(abspath $(OUT)) CT_VARIANT=plain sh tests/run

check-asan:
	@$(MAKE) --no-print-directory OUT=build/asan BIN=build/asan/bin \
	    OPT='-O1 -g' SAN='$(SAN_FLAGS)' all
	CT_BIN=$(abspath build/asan/bin) CT_OUT=$(abspath build/asan) CT_VARIANT=asan \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 sh tests/run

# ---- setup, demo, bench ---------------------------------------------------
deps:
	sh tools/deps.sh

demo: deps
	@$(MAKE) --no-print-directory -j2 all
	sh tools/demo.sh

bench: all
	sh bench/run.sh

# ---- install ---------------------------------------------------------------
install: $(PROGRAMS)
	install -d $(DESTDIR)$(BINDIR)
	for p in $(PROGRAMS); do install -m 755 $$p $(DESTDIR)$(BINDIR)/; done
	for s in 1 5; do if ls man/*.$$s >/dev/null 2>&1; then \
	    install -d $(DESTDIR)$(MANDIR)/man$$s && \
	    install -m 644 man/*.$$s $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; fi; done

uninstall:
	for p in $(PRESENT); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in man/*.[15]; do [ -e "$$m" ] && rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m#man/}; done; true

clean:
	rm -rf build bin

.PHONY: all check check-fast check-asan deps demo bench install uninstall clean

# ---- hardening: fuzzing and valgrind (see SECURITY.md) ------------------
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="json scan"]
#                       build the libFuzzer targets (fuzz/fuzz_*.c) with clang
#                       into build/fuzz/, seed build/fuzz/corpus/NAME, run each
#                       for FUZZ_SECONDS; crashes land in build/fuzz/crash/
#   make fuzz-build     only build them
#   make check-valgrind the end-to-end tests under valgrind memcheck
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT     ?= build/fuzz
# pointer-overflow is off: all it reports here is NULL + 0 on empty
# buffers, which C2y makes defined (N3322) and gcc's UBSan (make check)
# does not flag; a real overflow would be an out-of-bounds access, ASan's.
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize=pointer-overflow \
                -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_ALL     := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)

fuzz-build:
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) OUT=$(FUZZ_OUT)/obj \
	    OPT='-O1 -g' SAN='$(FUZZ_SAN)' fuzz-bins

fuzz-bins: $(FUZZ_ALL:%=$(FUZZ_OUT)/%)

$(FUZZ_OUT)/%: fuzz/fuzz_%.c fuzz/fuzz.h $(LIB_A)
	$(CC) $(ALL_CFLAGS) -Ifuzz -fsanitize=fuzzer \
	    -fno-sanitize=pointer-overflow \
	    $(ALL_LDFLAGS) -o $@ $< $(LIB_A) $(LIBS)

fuzz: fuzz-build all
	sh fuzz/seeds.sh $(FUZZ_OUT)/seeds
	@mkdir -p $(FUZZ_OUT)/crash
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_OUT)/corpus/$$t; \
	    : "longest input: 64 KiB holds many records or a summary; 8 KiB"; \
	    : "for the small documents (ini, xml, sigv4, strings)"; \
	    ml=$$(case $$t in aggregate|input|scan|summary|json|lookup) \
	        echo 65536;; *) echo 8192;; esac); \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_OUT)/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=$$ml \
	        -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_OUT)/crash/$$t- \
	        $$(test -f fuzz/$$t.dict && echo -dict=fuzz/$$t.dict) \
	        $(FUZZ_OUT)/corpus/$$t $(FUZZ_OUT)/seeds/$$t \
	        $$(test -d fuzz/regressions/$$t && echo fuzz/regressions/$$t) \
	        2>$(FUZZ_OUT)/$$t.log || { tail -40 $(FUZZ_OUT)/$$t.log; \
	        echo "fuzz: $$t FAILED (log: $(FUZZ_OUT)/$$t.log)"; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done' $(FUZZ_OUT)/$$t.log \
	        | tr '\n' ' '; echo; \
	done

check-valgrind: all
	sh tests/security/valgrind.sh

.PHONY: fuzz fuzz-build fuzz-bins check-valgrind

# ---- ct-summarize, completion, uninstall, dist ----------------------------
#   make install        also installs scripts/ct-summarize beside the programs
#                       and the bash completion (completion/ct-tools.bash as
#                       COMPDIR/ct-tools, plus one symlink per command), and
#                       the zsh one (completion/ct-tools.zsh as
#                       ZSHCOMPDIR/_ct-tools, naming COMPDIR/ct-tools)
#   make dist           ct-tools-VERSION.tar.gz (in DIST_OUT, default .): the
#                       sources, tests and docs; they build on their own
#                       (tar xzf ct-tools-VERSION.tar.gz; cd ct-tools-VERSION; make)
COMPDIR   ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
COMP_CMDS  = ct-aggregate ct-fetch ct-plot ct-regions ct-summarize
DIST       = ct-tools-$(VERSION)
DIST_OUT  ?= .
DIST_SRC   = Makefile $(wildcard *.md) .gitignore .ci lib $(TOOLS) man scripts \
             completion tools sample tests bench fuzz

install: install-extra
uninstall: uninstall-extra

install-extra:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(COMPDIR)
	install -m 755 scripts/ct-summarize $(DESTDIR)$(BINDIR)/ct-summarize
	install -m 644 completion/ct-tools.bash $(DESTDIR)$(COMPDIR)/ct-tools
	for c in $(COMP_CMDS); do ln -sf ct-tools $(DESTDIR)$(COMPDIR)/$$c; done
	install -d $(DESTDIR)$(ZSHCOMPDIR)
	sed 's|@BASHCOMP@|$(COMPDIR)/ct-tools|' completion/ct-tools.zsh \
	    >$(DESTDIR)$(ZSHCOMPDIR)/_ct-tools
	chmod 644 $(DESTDIR)$(ZSHCOMPDIR)/_ct-tools

uninstall-extra:
	rm -f $(DESTDIR)$(BINDIR)/ct-summarize $(DESTDIR)$(COMPDIR)/ct-tools
	for c in $(COMP_CMDS); do rm -f $(DESTDIR)$(COMPDIR)/$$c; done
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_ct-tools

dist:
	rm -f $(DIST_OUT)/$(DIST).tar.gz
	tar czf $(DIST_OUT)/$(DIST).tar.gz --sort=name --owner=0 --group=0 --numeric-owner \
	    --exclude=__pycache__ --exclude='*.pyc' --exclude='*.o' \
	    --exclude='*.a' --transform 's,^,$(DIST)/,' $(wildcard $(DIST_SRC))
	@echo "dist: $(DIST_OUT)/$(DIST).tar.gz"

.PHONY: install-extra uninstall-extra dist
