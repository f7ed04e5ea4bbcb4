# Makefile - builds and tests obc.
#
#   make            build build/obc
#   make demo       compile the bundled example and validate the policy; check
#                   and import the example policy documents (examples/documents)
#   make test       the quick edit-test loop (well under 90 s on 2 cores): unit
#                   tests (cmocka, ASan build), the golden corpus (build/obc),
#                   the offline Terraform check and obc fmt over the corpus
#   make check      every test (under 10 min on 2 idle cores): unit, stdlib
#                   lint, explanations, the language server session
#                   (tests/lsp), golden corpus with and without ASan+UBSan,
#                   stdlib independence, command line, schema validation,
#                   SARIF logs (the Multitool),
#                   AWS's documentation examples (examples/aws),
#                   the real-world policy documents of ../shared (tests/real),
#                   valgrind on a sample, a 60 s fuzz run
#   make valgrind-full  valgrind on every corpus case (make check: a sample)
#   make install    install obc to $(PREFIX)/bin (PREFIX=/usr/local), its manual
#                   page, bash and zsh completion, and the explanations of the
#                   diagnostic codes (docs/codes) to $(PREFIX)/share/doc/obc/codes
#   make regen      rewrite the corpus and SARIF goldens from the current obc (review the diff!)
#   make bench      speed and memory benchmarks
#   make fuzz       longer fuzzing run (FUZZ_SECONDS=600)
#   make coverage   line and branch coverage of compiler/
#
# Missing build and test tools are installed with apt-get (tools/ensure-deps.sh);
# on other systems it names what to install and goes on if it is all there.

CC      ?= cc
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/obc
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR  ?= $(PREFIX)/share/zsh/site-functions
BUILD   := build
PY      := /usr/bin/python3
NPROC   := $(shell nproc 2>/dev/null || echo 2)

BUILD_DEPS := gcc make flex bison libcjson-dev
TEST_DEPS  := $(BUILD_DEPS) libcmocka-dev python3 python3-jsonschema valgrind clang libclang-rt-14-dev strace \
              groff-base zsh

# Where `make install` puts docs/codes: the language server links each
# diagnostic's code there (codeDescription, lsp_build.c).
DEFS      := -D_XOPEN_SOURCE=700 -DOBC_CODES_DIR='"$(PREFIX)/share/doc/obc/codes"'
OPT       ?= -O2 -g
WARN      := -std=c11 -Wall -Wextra -Wpedantic -Werror
# Generated scanner and parser: strict, minus what flex/bison output trips.
GEN_WARN  := -std=c11 -Wall -Werror -Wno-unused-function -Wno-unused-but-set-variable
INC       := -Icompiler -I$(BUILD)/gen
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS    := -lcjson

SRCS      := $(sort $(wildcard compiler/*.c))
LIB_SRCS  := $(filter-out compiler/main.c,$(SRCS))
STDLIB    := $(sort $(wildcard stdlib/*.ob))
EXPLAIN   := $(sort $(wildcard docs/codes/OB*.md))
GEN_C     := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c $(BUILD)/gen/stdlib_data.c $(BUILD)/gen/explain_data.c \
             $(BUILD)/gen/stdlib_ast.c
GEN_H     := $(BUILD)/gen/lexer.h $(BUILD)/gen/parser.h
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

# Object lists for one build variant ($1 = release | asan | cov).
lib_objs = $(patsubst compiler/%.c,$(BUILD)/$1/%.o,$(LIB_SRCS)) \
           $(patsubst $(BUILD)/gen/%.c,$(BUILD)/$1/gen_%.o,$(GEN_C))
VARIANT_FLAGS_release :=
VARIANT_FLAGS_asan    := $(SAN)
VARIANT_FLAGS_cov     := --coverage -O0
VARIANT_FLAGS_fuzz    := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -O1
VARIANT_CC_release    := $(CC)
VARIANT_CC_asan       := $(CC)
VARIANT_CC_cov        := $(CC)
VARIANT_CC_fuzz       := clang
FUZZ_SECONDS          ?= 60

.PHONY: all deps test-deps demo check install uninstall clean regen import-roundtrip bench linear fuzz coverage \
        unit stdlib-lint explanations corpus cli schema aws-examples valgrind fuzz-smoke layers \
        test corpus-release stdlib-independence valgrind-full real-corpora cfn-deps cfn terraform fmt-corpus lsp sarif-deps sarif

all: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/obc

deps:
	@tools/ensure-deps.sh $(BUILD_DEPS)

test-deps:
	@tools/ensure-deps.sh $(TEST_DEPS)

# The npm packages pinned in tests/npm (package.json, package-lock.json),
# installed under build/npm when missing: the CloudFormation resource
# specification tests/check-cfn.py reads, and the SARIF Multitool
# tests/check-sarif.sh runs (its executable for this system; npm may skip
# the package's script that marks it executable).
NPM_DEPS := $(BUILD)/npm/node_modules/.obc-installed
CFN_SPEC := $(BUILD)/npm/node_modules/@aws-cdk/cfnspec/spec/specification.json
SARIF_MULTITOOL := $(BUILD)/npm/node_modules/@microsoft/sarif-multitool-$(shell uname -s | tr A-Z a-z)/Sarif.Multitool
cfn-deps: $(NPM_DEPS)
sarif-deps: $(NPM_DEPS)
$(NPM_DEPS): tests/npm/package.json tests/npm/package-lock.json
	@command -v npm >/dev/null || tools/ensure-deps.sh npm
	mkdir -p $(BUILD)/npm
	cp tests/npm/package.json tests/npm/package-lock.json $(BUILD)/npm/
	cd $(BUILD)/npm && npm ci --no-audit --no-fund
	@test ! -f $(SARIF_MULTITOOL) || chmod u+x $(SARIF_MULTITOOL)
	@touch $@

# ---- generated sources -------------------------------------------------

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h &: grammar/parser.y | $(BUILD)/gen
	bison -Wall -Werror --header=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h &: grammar/lexer.l | $(BUILD)/gen
	flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/gen/stdlib_data.c: $(STDLIB) $(BUILD)/embed | $(BUILD)/gen
	$(BUILD)/embed $@ stdlib_files $(STDLIB)

# The standard library's syntax trees, parsed here by obc's own parser
# (tools/stdsnap.c, linked with the release objects but this one).
$(BUILD)/gen/stdlib_ast.c: $(STDLIB) $(BUILD)/stdsnap | $(BUILD)/gen
	$(BUILD)/stdsnap $@ $(STDLIB)

$(BUILD)/stdsnap: tools/stdsnap.c $(filter-out $(BUILD)/release/gen_stdlib_ast.o,$(call lib_objs,release))
	$(CC) $(WARN) $(DEFS) $(OPT) $(INC) -o $@ $^ $(LDLIBS)

$(BUILD)/gen/explain_data.c: $(EXPLAIN) $(BUILD)/embed | $(BUILD)/gen
	$(BUILD)/embed $@ explain_files $(EXPLAIN)

$(BUILD)/embed: tools/embed.c | $(BUILD)/gen
	$(CC) $(WARN) -O2 -o $@ $<

$(BUILD)/gen: | deps
	mkdir -p $@

# ---- objects and binaries ----------------------------------------------

define variant_rules
$(BUILD)/$1/%.o: compiler/%.c $(GEN_H) | $(BUILD)/$1
	$(VARIANT_CC_$1) $(WARN) $(DEFS) $(OPT) $(VARIANT_FLAGS_$1) $(INC) -MMD -MP -c -o $$@ $$<
$(BUILD)/$1/gen_%.o: $(BUILD)/gen/%.c $(GEN_H) | $(BUILD)/$1
	$(VARIANT_CC_$1) $(GEN_WARN) $(DEFS) $(OPT) $(VARIANT_FLAGS_$1) $(INC) -MMD -MP -c -o $$@ $$<
$(BUILD)/$1:
	mkdir -p $$@
endef
$(eval $(call variant_rules,release))
$(eval $(call variant_rules,asan))
$(eval $(call variant_rules,cov))
$(eval $(call variant_rules,fuzz))

$(BUILD)/obc: $(call lib_objs,release) $(BUILD)/release/main.o
	$(CC) $(OPT) -o $@ $^ $(LDLIBS)

$(BUILD)/asan/obc: $(call lib_objs,asan) $(BUILD)/asan/main.o
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/cov/obc: $(call lib_objs,cov) $(BUILD)/cov/main.o
	$(CC) --coverage -o $@ $^ $(LDLIBS)

# Unit tests link every compiler object but main.o; TEST_LDFLAGS_<name>
# adds link flags for one test (fault injection through --wrap).
TEST_LDFLAGS_output_faults := -Wl,--wrap=write,--wrap=fsync,--wrap=syncfs,--wrap=close,--wrap=openat,--wrap=mkdirat,--wrap=renameat,--wrap=renameat2,--wrap=unlinkat,--wrap=flock
$(BUILD)/asan/test_%: tests/unit/test_%.c $(call lib_objs,asan)
	$(CC) $(WARN) $(DEFS) $(OPT) $(SAN) $(INC) -o $@ $^ $(LDLIBS) -lcmocka $(TEST_LDFLAGS_$*)
$(BUILD)/cov/test_%: tests/unit/test_%.c $(call lib_objs,cov)
	$(CC) $(WARN) $(DEFS) --coverage -O0 $(INC) -o $@ $^ $(LDLIBS) -lcmocka $(TEST_LDFLAGS_$*)

FUZZ_BINS := $(BUILD)/fuzz/fuzz_compile $(BUILD)/fuzz/fuzz_program
$(FUZZ_BINS): $(BUILD)/fuzz/%: tests/fuzz/%.c $(call lib_objs,fuzz)
	clang $(WARN) $(DEFS) -g -O1 -fsanitize=fuzzer,address,undefined $(INC) -o $@ $^ $(LDLIBS)

-include $(wildcard $(BUILD)/*/*.d)

# ---- the two README commands -------------------------------------------

DEMO_SRC := examples/central-copy.ob
DEMO_OUT := $(BUILD)/demo
DEMO_DOCS := examples/documents

demo: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/obc
	@rm -rf $(DEMO_OUT)
	$(BUILD)/obc compile $(DEMO_SRC) -o $(DEMO_OUT)
	@for f in $(DEMO_OUT)/*.json; do [ "$${f##*/}" = obc.manifest.json ] || { echo "== $$f"; cat "$$f"; }; done
	@echo "== $(DEMO_OUT)/obc.manifest.json: what must exist in the accounts ($$(wc -l < $(DEMO_OUT)/obc.manifest.json) lines; see docs/manifest.md)"
	@tools/ensure-deps.sh python3 python3-jsonschema
	$(PY) tests/validate-policies.py $(DEMO_OUT)
	@echo "== obc check $(DEMO_DOCS)/legacy.json: an existing policy document with three mistakes (exit 1 expected)"
	@$(BUILD)/obc check $(DEMO_DOCS)/legacy.json; test $$? -eq 1
	@echo "== obc import $(DEMO_DOCS)/nightly.json: an existing policy document as a .ob program"
	$(BUILD)/obc import $(DEMO_DOCS)/nightly.json
	@echo "== obc compile --emit all: the CloudFormation templates and the Terraform module that deploy it (docs/deploy.md)"
	@rm -rf $(DEMO_OUT)-deploy
	$(BUILD)/obc compile $(DEMO_SRC) -o $(DEMO_OUT)-deploy --emit all
	@for f in $(DEMO_OUT)-deploy/*; do echo "   $$f ($$(wc -c < "$$f") bytes)"; done

UNIT_BINS := $(patsubst tests/unit/test_%.c,$(BUILD)/asan/test_%,$(UNIT_SRCS))

# No test asserts how long something takes: speed and memory are budgets
# of `make bench`. Timeouts (OBC_TIMEOUT) only stop a run that hangs.
test: test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/obc $(UNIT_BINS)
	@$(MAKE) --no-print-directory unit corpus-release import-roundtrip terraform fmt-corpus
	@echo "make test: all passed (make check runs everything)"

check: test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/obc $(BUILD)/asan/obc $(FUZZ_BINS) $(UNIT_BINS)
	@$(MAKE) --no-print-directory layers unit stdlib-lint explanations corpus import-roundtrip fmt-corpus lsp stdlib-independence cli schema \
	    aws-examples real-corpora cfn sarif terraform linear valgrind fuzz-smoke
	@echo "make check: all passed"

# The cmocka unit tests, built with ASan+UBSan.
unit:
	@set -e; for t in $(patsubst tests/unit/test_%.c,$(BUILD)/asan/test_%,$(UNIT_SRCS)); do \
	    echo "== $$t"; $$t; done

layers:
	tests/check-layers.sh

# The language server: a scripted client runs a whole session over pipes
# (tests/lsp/session.py), with thousands of edits under an RSS bound on
# the release build, and the same session on the ASan build with leak
# detection.
lsp:
	$(PY) tests/lsp/session.py $(BUILD)/obc
	OBC_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1 $(PY) tests/lsp/session.py $(BUILD)/asan/obc --edits 300

stdlib-lint:
	tests/stdlib-lint.sh --self-test

explanations:
	tests/check-explanations.sh $(BUILD)/obc

# The golden corpus (tests/run-corpus.py): every code fired and kept quiet,
# then every case on the release build and on the ASan+UBSan build.
corpus: corpus-release
	OBC_SANITIZED=1 tests/run-corpus.py $(BUILD)/asan/obc

corpus-release:
	tests/check-code-coverage.sh
	tests/run-corpus.py $(BUILD)/obc

# obc import on every program of corpus/ and examples/ that compiles: the
# printed program must compile to the same policies (JSON values).
import-roundtrip:
	tests/import-roundtrip.py $(BUILD)/obc

# obc fmt on every .ob file of corpus/ and examples/ (tests/check-fmt.sh):
# formatting twice changes nothing, and what compiles compiles to the same
# output directory, with the same diagnostic codes, once formatted.
fmt-corpus:
	tests/check-fmt.sh $(BUILD)/obc

# The corpus with a resource type and a Region added to a copy of stdlib/:
# no golden may change but the added type's line in tag-only manifests.
stdlib-independence:
	tests/stdlib-independence.sh $(BUILD)/obc

# tests/cli/run.sh and every tests/cli/check-*.sh, on both builds at
# once (each script works in temporary directories of its own); each
# run's output is printed when both are over.
CLI_SCRIPTS := tests/cli/run.sh $(sort $(wildcard tests/cli/check-*.sh))
cli:
	@mkdir -p $(BUILD)/cli-logs; for s in $(CLI_SCRIPTS); do \
	    n=$$(basename $$s .sh); rel=$(BUILD)/cli-logs/$$n.release; asan=$(BUILD)/cli-logs/$$n.asan; \
	    $$s $(BUILD)/obc >$$rel 2>&1 & p1=$$!; \
	    ASAN_OPTIONS=detect_leaks=1 $$s $(BUILD)/asan/obc >$$asan 2>&1 & p2=$$!; \
	    r1=0; wait $$p1 || r1=$$?; r2=0; wait $$p2 || r2=$$?; \
	    echo "== $$s $(BUILD)/obc"; cat $$rel; echo "== $$s $(BUILD)/asan/obc"; cat $$asan; \
	    if [ $$r1 -ne 0 ] || [ $$r2 -ne 0 ]; then echo "cli: $$s failed"; exit 1; fi; done

schema:
	@tools/ensure-deps.sh python3 python3-jsonschema
	$(PY) tests/validate-policies.py --self-test
	$(PY) tests/validate-policies.py --compile $(BUILD)/obc corpus examples
	$(PY) tests/validate-policies.py --real-corpora
	tests/check-sources.sh

# The CloudFormation templates: tests/check-cfn.py rejects each broken
# template of tests/cfn/, then checks every template golden of the corpus
# and the templates of the examples and of AWS's documentation examples
# (examples/aws; docs/deploy.md), and the template the
# unit test builds from a hand-made manifest (tests/unit/test_emit_cfn.c).
CFN_EXAMPLES := examples/central-copy.ob examples/organization/main.ob examples/seed-module-plan.ob \
                examples/cross-region.ob examples/local-vault.ob $(sort $(wildcard examples/aws/*.ob))
cfn: cfn-deps $(BUILD)/obc $(BUILD)/asan/test_emit_cfn
	$(PY) tests/check-cfn.py --self-test
	@rm -rf $(BUILD)/cfn && mkdir -p $(BUILD)/cfn && set -e; for p in $(CFN_EXAMPLES); do \
	    d=$(BUILD)/cfn/$$(echo $$p | tr / _); \
	    $(BUILD)/obc compile $$p -o $$d --emit cloudformation --color never 2>$$d.log || { cat $$d.log; exit 1; }; done; \
	    OBC_CFN_UNIT_OUT=$(BUILD)/cfn/unit-extras.template.json $(BUILD)/asan/test_emit_cfn >/dev/null
	$(PY) tests/check-cfn.py $$(find corpus -name '*.template.json' | sort) $$(find $(BUILD)/cfn -name '*.template.json' | sort)

# --format sarif (tests/check-sarif.sh): the golden logs of tests/sarif
# printed again byte for byte, and every one valid for Microsoft's SARIF
# Multitool with the SARIF and GitHub rules (`validate --rule-kind
# "sarif;gh"`); it must also reject a broken log.
sarif: sarif-deps $(BUILD)/obc
	tests/check-sarif.sh $(BUILD)/obc $(SARIF_MULTITOOL)

# The Terraform configuration (obc.tf.json) offline, without the AWS
# provider (tests/check-terraform.py): the checker rejects each broken
# configuration of tests/terraform/, then the --emit terraform output of
# every example and of the corpus/deploy-tf cases passes it.
TF_DIRS := examples examples/aws examples/organization examples/terraform corpus/deploy-tf
terraform: $(BUILD)/obc
	$(PY) tests/check-terraform.py --self-test
	$(PY) tests/check-terraform.py --compile $(BUILD)/obc $(TF_DIRS)

# AWS's documentation examples written in .ob (examples/aws/): each
# compiles, and equals AWS's JSON when ../shared is present; and their
# effective policies, from AWS's documents and from examples/aws/effective/
# (tests/check-aws-effective.py, goldens in tests/real/aws-effective/).
aws-examples:
	$(PY) tests/check-aws-examples.py $(BUILD)/obc
	$(PY) tests/check-aws-effective.py $(BUILD)/obc

# obc check on the real-world documents of ../shared (corpus-real and AWS's
# examples) against the reviewed goldens in tests/real/, the verdicts of
# SOURCES.md, and the import round trip (tests/check-real-corpora.py;
# --regen rewrites the goldens for review).
real-corpora:
	$(PY) tests/check-real-corpora.py --self-test
	$(PY) tests/check-real-corpora.py $(BUILD)/obc

# valgrind (memcheck: leaks, uninitialised reads) on a fixed sample: every
# 4th corpus case and all of corpus/valid/ and corpus/fuzz/ (about 100
# runs). ASan+UBSan already run every case in `make corpus`.
valgrind:
	tests/run-valgrind.sh --every 4 $(BUILD)/obc

# valgrind on every corpus case (about 6 times as long as the sample).
valgrind-full:
	tests/run-valgrind.sh $(BUILD)/obc

# Both harnesses (tests/fuzz/run.sh), each for half of the time.
fuzz-smoke: $(FUZZ_BINS)
	tests/fuzz/run.sh smoke $(FUZZ_SECONDS)

fuzz: test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(FUZZ_BINS)
	tests/fuzz/run.sh long $(if $(filter-out 60,$(FUZZ_SECONDS)),$(FUZZ_SECONDS),600)

regen: $(BUILD)/obc
	tests/run-corpus.py --regen $(BUILD)/obc
	tests/check-sarif.sh --regen $(BUILD)/obc
	@echo "goldens rewritten: review them with 'git diff corpus/ tests/sarif/' before committing"

# Coverage of compiler/ by the unit tests, the corpus and the CLI tests.
COV_TESTS := $(patsubst tests/unit/test_%.c,$(BUILD)/cov/test_%,$(UNIT_SRCS))
coverage: test-deps
	@tools/ensure-deps.sh gcovr
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/cov/obc $(COV_TESTS)
	@rm -f $(BUILD)/cov/*.gcda
	@set -e; for t in $(COV_TESTS); do $$t >/dev/null 2>&1 || { echo "coverage: $$t failed"; exit 1; }; done
	tests/run-corpus.py $(BUILD)/cov/obc
	@if [ -x tests/cli/run.sh ]; then tests/cli/run.sh $(BUILD)/cov/obc >/dev/null; fi
	gcovr --root . --object-directory $(BUILD)/cov --filter 'compiler/' --exclude-unreachable-branches \
	    --print-summary --txt $(BUILD)/coverage.txt --sort-percentage
	@cat $(BUILD)/coverage.txt

# Speed and memory (tests/bench/budgets.txt): BENCH_FLAGS=--quick or --scaling.
BENCH_FLAGS ?=
bench: deps
	tests/bench/run.sh $(BENCH_FLAGS)

# Resource test: instructions of obc check on every long-list shape at N
# and 4N items (callgrind, no wall clock); fails past 1.25 per item (5x
# the instructions for 4x the input; linear is 4x). Then the generated
# program at 125 KB and 1 MB: instructions per byte, the fixed cost taken
# out, may grow at most 1.02x over the 8x step (make bench checks 1 MB to
# 8 MB against the same limit).
linear: $(BUILD)/obc
	$(PY) tests/bench/bench.py --linear 1.25 --obc $(BUILD)/obc --dir $(BUILD)/linear
	$(PY) tests/bench/table.py --growth 125000,1000000 --limit 1.02 --obc $(BUILD)/obc --dir $(BUILD)/linear

install: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BUILD)/obc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/codes \
	    $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR)
	install -m 755 $(BUILD)/obc $(DESTDIR)$(PREFIX)/bin/obc
	install -m 644 docs/obc.1 $(DESTDIR)$(MANDIR)/man1/obc.1
	install -m 644 contrib/completions/obc.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/obc
	install -m 644 contrib/completions/_obc $(DESTDIR)$(ZSH_COMPLETION_DIR)/_obc
	install -m 644 $(EXPLAIN) $(DESTDIR)$(DOCDIR)/codes/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/obc $(DESTDIR)$(MANDIR)/man1/obc.1 \
	    $(DESTDIR)$(BASH_COMPLETION_DIR)/obc $(DESTDIR)$(ZSH_COMPLETION_DIR)/_obc
	rm -rf $(DESTDIR)$(DOCDIR)/codes

clean:
	rm -rf $(BUILD)
