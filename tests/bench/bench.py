#!/usr/bin/env python3
"""bench.py - measures obc and checks the budgets (run by tests/bench/run.sh).

    bench.py --obc BUILD/obc --frontend BUILD/bench/frontend --dir BUILD/bench
             --budgets tests/bench/budgets.txt [--quick] [--scaling] [--runs N]

Expects the inputs that run.sh generates in --dir (gen-*.ob, gen-10mb/).
Measures, per input: the wall time of `obc check` and `obc compile`
(median, min and max of repeated runs, after one warm-up run), the
throughput in MB/s (input bytes over the median time), and the peak RSS
of the process (GNU time's %M, one extra run). It also counts
instructions with callgrind, which are repeatable on a shared, noisy
machine where times are not: on the examples and generated programs, and
on the long lists of tests/cli/run.sh at N and 4N items (their growth
catches a pass quadratic in a list's length; the command-line tests
assert no time).

Budgets (budgets.txt): each line is NAME VALUE max|min enforce|report
[FACTOR]. A `max` budget fails when the measurement is above
VALUE * FACTOR, a `min` budget when it is below VALUE / FACTOR (FACTOR
defaults to the file's `factor` line). `enforce`: a failure makes the run
exit 1; `report`: it is only printed. Wall-clock figures depend on the
machine and its load, so they are reported and never fail the run;
instruction counts and peak RSS are deterministic enough to enforce.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MB = 1000 * 1000
GNU_TIME = "/usr/bin/time"


# ---- running -------------------------------------------------------------

def program_bytes(path):
    """Bytes of the program: the file, or every .ob file of its directory
    tree when it is a main.ob that imports others (generated multi-file
    inputs and examples/organization)."""
    if os.path.basename(path) == "main.ob":
        total = 0
        for root, _dirs, files in os.walk(os.path.dirname(path)):
            total += sum(os.path.getsize(os.path.join(root, f)) for f in files if f.endswith(".ob"))
        return total
    return os.path.getsize(path)


def run_once(cmd, clean):
    """Runs cmd with stdout and stderr to a file and returns its wall time
    in seconds. Fails loudly unless it exits 0 and, when `clean`, says
    nothing on stderr (the generated programs have warnings on purpose,
    as the examples do: they are measured with clean false)."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=err)
        t1 = time.perf_counter()
        err.seek(0)
        text = err.read().decode(errors="replace")
    if rc != 0 or (clean and text.strip()):
        sys.exit("bench: '%s' exited %d (the benchmark inputs must compile%s):\n%s"
                 % (" ".join(cmd), rc, " cleanly" if clean else "", text[:4000]))
    return t1 - t0


def timed(cmd, runs, clean):
    """Median, min and max seconds over `runs` runs after one warm-up run
    (which fills the page cache)."""
    run_once(cmd, clean)
    times = [run_once(cmd, clean) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def peak_rss(cmd):
    """Peak RSS of cmd in KiB, measured by GNU time (%M). Not by wait4()
    from here: Linux keeps the larger of the RSS before and after exec, and
    before exec the child is a copy of this Python process."""
    if not os.access(GNU_TIME, os.X_OK):
        sys.exit("bench: %s (Debian package time) is needed for peak RSS" % GNU_TIME)
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.call([GNU_TIME, "-f", "%M", "-o", out.name] + cmd,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(out.read().split()[-1])


def instructions(cmd, out_file, ok=(0,)):
    """Instructions executed by cmd (all of them, dynamic loader included),
    counted by callgrind; the profile stays in out_file for
    callgrind_annotate."""
    full = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file] + cmd
    p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in ok:
        sys.exit("bench: callgrind failed for '%s':\n%s" % (" ".join(cmd), p.stderr[-4000:]))
    with open(out_file) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    sys.exit("bench: no instruction total in " + out_file)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return os.uname().machine


# ---- budgets -------------------------------------------------------------

def read_budgets(path):
    factor, budgets = 2.0, {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            if line[0] == "factor" and len(line) == 2:
                factor = float(line[1])
                continue
            if len(line) not in (4, 5) or line[2] not in ("max", "min") or \
                    line[3] not in ("enforce", "report"):
                sys.exit("bench: %s:%d: expected NAME VALUE max|min enforce|report [FACTOR]"
                         % (path, n))
            budgets[line[0]] = (float(line[1]), line[2], line[3],
                                float(line[4]) if len(line) == 5 else None)
    return factor, budgets


def check_budgets(measured, path):
    """Prints every budget against its measurement; returns the number of
    enforced budgets that failed."""
    factor, budgets = read_budgets(path)
    failed = 0
    print("\n== budgets (%s; fail past %gx unless a line says otherwise)" % (path, factor))
    print("%-40s %14s %14s %9s  %s" % ("budget", "measured", "budget", "limit", "status"))
    for name, (value, way, mode, own) in budgets.items():
        f = own if own is not None else factor
        limit = value * f if way == "max" else value / f
        if name not in measured:
            print("%-40s %14s %14s %9s  not measured in this run" % (name, "-", fmt(value), fmt(limit)))
            continue
        got = measured[name]
        bad = got > limit if way == "max" else got < limit
        if mode == "report":
            status = ("past the limit" if bad else "ok") + " (reported, not enforced)"
        else:
            status = "FAILED" if bad else "ok"
            failed += bad
        print("%-40s %14s %14s %9s  %s" % (name, fmt(got), fmt(value), fmt(limit), status))
    for name in sorted(set(measured) - set(budgets)):
        print("%-40s %14s %14s %9s  no budget" % (name, fmt(measured[name]), "-", "-"))
    return failed


def fmt(x):
    """Thousands separators for big numbers, four significant digits for
    small ones."""
    if abs(x) >= 1000:
        return "{:,.0f}".format(x)
    return "%.4g" % x


# ---- the benchmark -------------------------------------------------------

class Bench:
    # the examples whose median `obc check` time has a budget: the median
    # one by size and the largest
    MS_BUDGETS = {"examples/central-copy.ob": "example", "examples/organization/main.ob": "organization"}

    def __init__(self, a):
        self.a = a
        self.measured = {}
        self.out = os.path.join(a.dir, "out")  # compile's output, emptied first
        shutil.rmtree(self.out, ignore_errors=True)

    def row(self, label, size, what, med, lo, hi, rss):
        mbs = size / MB / med if med > 0 else 0.0
        print("%-30s %10s %-8s %9.2f %9.2f %9.2f %9.1f %10s" %
              (label, "{:,}".format(size), what, med * 1e3, lo * 1e3, hi * 1e3, mbs,
               "{:,}".format(rss)))
        return mbs

    def header(self, title):
        print("\n== " + title)
        print("%-30s %10s %-8s %9s %9s %9s %9s %10s" %
              ("input", "bytes", "command", "median ms", "min ms", "max ms", "MB/s", "peak KiB"))

    def cmds(self, path):
        return {"check": [self.a.obc, "check", path],
                "compile": [self.a.obc, "compile", path, "-o", self.out],
                "frontend": [self.a.frontend, path]}

    def measure(self, label, path, what, runs, clean=False):
        size = program_bytes(path)
        cmd = self.cmds(path)[what]
        med, lo, hi = timed(cmd, runs, clean)
        rss = peak_rss(cmd)
        mbs = self.row(label, size, what, med, lo, hi, rss)
        return size, med, mbs, rss

    def table(self):
        """The figures of docs/performance.md (table.py), in this run."""
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import table
        t = table.Table(self.a)
        t.throughput()
        t.small()
        t.memory_and_instructions()
        t.markdown()
        self.measured.update({k: v for k, v in t.figures.items()})

    def examples(self):
        runs = self.a.runs or 21
        self.header("examples (%d runs each)" % runs)
        ex = sorted(p for p in os.listdir("examples") if p.endswith(".ob"))
        paths = [os.path.join("examples", p) for p in ex] + ["examples/organization/main.ob"]
        for p in paths:
            for what in ("check", "compile"):
                _size, med, _mbs, _rss = self.measure(p, p, what, runs, clean=False)
                if what == "check" and p in self.MS_BUDGETS:
                    self.measured["ms.check." + self.MS_BUDGETS[p]] = round(med * 1e3, 2)

    def generated(self):
        runs = self.a.runs
        cases = [("gen-1mb.ob", runs or 11), ("syntax-1mb.ob", runs or 11)]
        if not self.a.quick:
            cases += [("gen-8mb.ob", runs or 5), ("gen-10mb/main.ob", runs or 3)]
        self.header("generated programs")
        for name, n in cases:
            path = os.path.join(self.a.dir, name)
            tag = name.split(".")[0].split("/")[0].replace("gen-", "").replace("-", "_")  # 1mb, syntax_1mb
            whats = ["frontend"] if name.startswith("syntax") else ["frontend", "check", "compile"]
            for what in whats:
                size, _med, mbs, rss = self.measure(name, path, what, n)
                self.measured["mb_per_s.%s.%s" % (what, tag)] = round(mbs, 1)
                if what == "check":
                    self.measured["rss_kib_per_mb.check.%s" % tag] = round(rss / (size / MB))

    def counts(self):
        if not shutil.which("valgrind"):
            print("\nbench: valgrind not found: instruction counts skipped")
            return
        print("\n== instructions (callgrind; profiles in %s/callgrind.*)" % self.a.dir)
        print("%-34s %10s %16s %12s" % ("measurement", "bytes", "instructions", "per byte"))
        cases = [("check.example", "examples/central-copy.ob", "check"),
                 ("check.organization", "examples/organization/main.ob", "check"),
                 ("frontend.1mb", os.path.join(self.a.dir, "gen-1mb.ob"), "frontend"),
                 ("check.1mb", os.path.join(self.a.dir, "gen-1mb.ob"), "check"),
                 ("check.250kb", os.path.join(self.a.dir, "gen-250kb.ob"), "check"),
                 ("check.2mb", os.path.join(self.a.dir, "gen-2mb.ob"), "check")]
        per = {}
        for name, path, what in cases:
            size = program_bytes(path)
            n = instructions(self.cmds(path)[what], os.path.join(self.a.dir, "callgrind." + name))
            per[name] = n / size
            print("%-34s %10s %16s %12.1f" % (name, "{:,}".format(size), "{:,}".format(n), n / size))
            if name in ("check.example", "check.organization"):
                self.measured["insns." + name] = n
            else:
                self.measured["insns_per_byte." + name] = round(n / size, 1)
        # Linear passes keep instructions per byte flat as the input grows
        # 8x; a quadratic one makes the ratio grow with the size.
        self.measured["insns_per_byte.growth.250kb_to_2mb"] = round(per["check.2mb"] / per["check.250kb"], 3)
        print("%-34s %10s %16s %12.3f" % ("growth 250kb -> 2mb (per byte)", "", "",
                                         per["check.2mb"] / per["check.250kb"]))

    # ---- shapes: the long lists of tests/cli/run.sh, at two sizes ------------

    @staticmethod
    def program(match='tag("backup") == "daily"', vault="", plan="", rules="", tail=""):
        """The clean program of tests/cli/run.sh (valid_program), with text
        added to the vault, the plan, its rules and the end."""
        return ('import "std/aws"\nroot org_root = "r-ab12"\norganization {\n  regions = [eu-west-1]\n}\n'
                'selection tagged {\n  role  = default_backup_role\n  match = %s\n}\n'
                'vault local {\n  name = "org-backup"\n%s}\n'
                'plan daily {\n  select = [tagged]\n%s  rule nightly {\n    schedule     = daily at 05:50\n'
                '    vault        = local\n    delete_after = 35d\n  }\n%s}\n'
                'policy org_backup {\n  plans  = [daily]\n  attach = [org_root]\n}\n%s'
                % (match, vault, plan, rules, tail))

    def shape_text(self, shape, n):
        P = self.program
        if shape == "equal_values":
            return P(match='tag("backup") in [%s]' % ", ".join(['"a"'] * n))
        if shape == "different_values":
            return P(match='tag("backup") in [%s]' % ", ".join('"v%d"' % i for i in range(n)))
        if shape == "tag_keys":
            return P(plan="  tags = {\n%s  }\n" % "".join('    k%d = "v"\n    K%d = "w"\n' % (i, i)
                                                          for i in range(n // 2)))
        if shape == "attach":
            return P(tail='root r = "r-cd34"\npolicy all {\n  plans = [daily]\n  attach = [%s]\n}\n'
                     % ", ".join(["r"] * n))
        if shape == "accounts":
            return P(vault="  accept_copies_from = [%s]\n" % ", ".join("a%d" % i for i in range(n)),
                     tail="".join('account a%d = "1%011d"\n' % (i, i) for i in range(n)))
        if shape == "rules":
            return P(rules="".join("  rule r%d { schedule = daily at 05:50; vault = local; delete_after = 35d }\n"
                                   % i for i in range(n)))
        if shape == "unknown_names":
            return P(tail="".join('account a%d = "1%011d"\n' % (i, i) for i in range(n)) +
                     "policy all {\n  plans = [daily]\n  attach = [%s]\n}\n" % ", ".join("b%d" % i for i in range(n)))
        # super-linear checks, fixed: each must stay linear in the program
        rule = "  rule r { schedule = daily at 05:50; vault = local; delete_after = 35d }\n"
        if shape == "plan_case":  # n plans whose names differ only in case, in one policy (OB8006)
            k = max(1, (n - 1).bit_length())
            names = ["".join(ch.upper() if i >> j & 1 else ch for j, ch in enumerate(("plan" * 8)[:k])) + "x"
                     for i in range(n)]
            return P(tail="".join("plan %s {\n  select = [tagged]\n%s}\n" % (m, rule) for m in names) +
                     "policy cased {\n  plans = [%s]\n  attach = [org_root]\n}\n" % ", ".join(names))
        if shape in ("role_account", "role_reported"):
            # n selections, each with its own role ARN naming one account,
            # in a plan attached to n accounts: all of that id (quiet
            # OB5008, asked for every selection) or of another (n reports)
            arn_id = "111111111111" if shape == "role_account" else "111111111112"
            return P(tail="".join('account p%d = "111111111111"\n' % i for i in range(n)) +
                     "".join('selection s%d {\n  role = role "arn:aws:iam::%s:role/Backup"\n'
                             '  match = tag("b") == "t"\n}\n' % (i, arn_id) for i in range(n)) +
                     "plan fixed {\n  select = [%s]\n%s}\n" % (", ".join("s%d" % i for i in range(n)), rule) +
                     "policy fixed_pol {\n  plans = [fixed]\n  attach = [%s]\n}\n"
                     % ", ".join("p%d" % i for i in range(n)))
        if shape == "same_key_lists":  # OB5003's help: two lists of n values on one tag
            return P(match='tag("k") in [%s] and tag("k") in [%s]'
                     % (", ".join('"v%d"' % i for i in range(n)), ", ".join('"v%d"' % (i + n // 2) for i in range(n))))
        if shape in ("first_time", "plans_x_attach"):
            # n plans backing up into a vault one account holds (OB6009 for
            # each: n first-time records), in one policy attached to 2
            # accounts, or to n + 1 (plans x attachments receivers)
            extra = n if shape == "plans_x_attach" else 1
            return P(tail="".join('account a%d = "1%011d"\n' % (i, i) for i in range(extra)) +
                     'account backup = "222222222222"\n'
                     'vault central {\n  name = "central"\n  owner = backup\n  region = eu-west-1\n}\n' +
                     "".join("plan h%d {\n  regions = [eu-west-1]\n  select = [tagged]\n%s}\n"
                             % (i, rule.replace("local", "central")) for i in range(n)) +
                     "policy held {\n  plans = [%s]\n  attach = [backup, %s]\n}\n"
                     % (", ".join("h%d" % i for i in range(n)), ", ".join("a%d" % i for i in range(extra))))
        if shape == "plan_in_policies":
            # one plan of n selections in n policies: each policy is
            # measured (OB8001) without building it again per policy
            return P(tail='account prod = "111111111111"\n' +
                     "".join('selection s%d {\n  role = default_backup_role\n  match = tag("b") == "t"\n}\n' % i
                             for i in range(n)) +
                     "plan fixed {\n  select = [%s]\n%s}\n" % (", ".join("s%d" % i for i in range(n)), rule) +
                     "".join("policy fixed_pol%d {\n  plans = [fixed]\n  attach = [prod]\n}\n" % i for i in range(n)))
        # n regions, n resource types a program declares itself (lists not
        # bounded by the standard library)
        regions = "".join('region rg%d { partition = aws; display = "R%d"; opt_in = false }\n' % (i, i)
                          for i in range(n))
        rg = lambda k: ", ".join("rg%d" % i for i in range(k))
        if shape == "vault_regions":
            # n vaults without regions, encrypted with one key, backed up
            # into by n rules (OB6002 asks each vault where it is)
            return P(tail='key k { alias = "alias/k"; owner = members; region = eu-west-1; '
                          'grants = backup_vault_key }\n' +
                     "".join('vault v%d { name = "v%d"; key = k }\n' % (i, i) for i in range(n)) +
                     "plan many {\n  regions = [eu-west-1]\n  select = [tagged]\n%s}\n"
                     % "".join("  rule r%d { schedule = daily at 05:50; vault = v%d; delete_after = 35d }\n"
                               % (i, i) for i in range(n)) +
                     "")
        if shape == "region_lists":
            # a plan in n regions backing up into a vault of half of them,
            # whose key is in one (OB6001 and OB6002 list what is missing)
            return P(tail=regions +
                     'key wide_key { alias = "alias/w"; owner = members; region = [rg0]; grants = backup_vault_key }\n'
                     "vault wide { name = \"wide\"; key = wide_key; region = [%s] }\n" % rg(max(1, n // 2)) +
                     "plan wide_plan {\n  regions = [%s]\n  select = [tagged]\n%s}\n"
                     % (rg(n), rule.replace("local", "wide")) +
                     "policy wide_pol {\n  plans = [wide_plan]\n  attach = [org_root]\n}\n")
        if shape == "rule_regions":
            # n rules of a plan in n regions, each backing up into and
            # copying onto a vault of one region (OB6001 once, OB6006 each)
            return P(tail=regions + 'vault one { name = "one"; region = [rg0] }\n' +
                     "plan wide_plan {\n  regions = [%s]\n  select = [tagged]\n%s}\n"
                     % (rg(n), "".join("  rule r%d {\n    schedule = daily at 05:50\n    vault = one\n"
                                       "    delete_after = 35d\n    copy to one { delete_after = 35d }\n  }\n"
                                       % i for i in range(n))) +
                     "policy wide_pol {\n  plans = [wide_plan]\n  attach = [org_root]\n}\n")
        if shape in ("copy_accepts", "copy_rules"):
            # a plan attached to n accounts copying into a vault of another
            # account that lists them all (one rule), or that accepts the
            # organization (n rules)
            rules = 1 if shape == "copy_accepts" else n
            accept = ", ".join("a%d" % i for i in range(n)) if shape == "copy_accepts" else "organization"
            return P(tail="".join('account a%d = "1%011d"\n' % (i, i) for i in range(n)) +
                     'account backup = "222222222222"\n'
                     'vault central {\n  name = "central"\n  owner = backup\n  region = eu-west-1\n'
                     '  accept_copies_from = [%s]\n}\n' % accept +
                     "plan copying {\n  regions = [eu-west-1]\n  select = [tagged]\n%s}\n"
                     % "".join("  rule r%d {\n    schedule = daily at 05:50\n    vault = local\n"
                               "    delete_after = 35d\n    copy to central { delete_after = 35d }\n  }\n"
                               % i for i in range(rules)) +
                     "policy copying_pol {\n  plans = [copying]\n  attach = [%s]\n}\n"
                     % ", ".join("a%d" % i for i in range(n)))
        if shape == "type_lists":
            # n resource types, in two `type in` lists and a `type not in`
            # list of one and-group
            types = "".join('resource_type t%d { arns = ["svc%d:*:*:thing/*"]; opt_in_name = "T%d"; '
                            'continuous_backup = false; cold_storage = false; full_management = false; '
                            'cross_account_copy = true; cross_region_copy = true; '
                            'role_policies = [] }\n' % (i, i, i)
                            for i in range(n))
            tl = lambda k0, k1: ", ".join("t%d" % i for i in range(k0, k1))
            return P(match='type in [%s] and type in [%s] and type not in [%s]'
                     % (tl(0, n), tl(0, n), tl(n // 2, n)), tail=types)
        if shape == "manifest_regions":
            # compiled: n plans, each in its own region backing up into its
            # own vault there, each in its own policy for its own account
            # (the manifest's per-region rows)
            return P(tail=regions +
                     "".join('vault v%d { name = "v%d"; region = [rg%d] }\n' % (i, i, i) for i in range(n)) +
                     "".join("plan p%d {\n  regions = [rg%d]\n  select = [tagged]\n%s}\n"
                             % (i, i, rule.replace("local", "v%d" % i)) for i in range(n)) +
                     "".join('account a%d = "1%011d"\npolicy pol%d {\n  plans = [p%d]\n  attach = [a%d]\n}\n'
                             % (i, i, i, i, i) for i in range(n)))
        if shape == "deploy_regions":
            # compiled with --emit all: one plan in n regions backing up
            # into the members' vault, which a notification and a restore
            # test use too (the templates group each entry by Region)
            return P(tail=regions +
                     "plan p {\n  regions = [%s]\n  select = [tagged]\n%s}\n" % (rg(n), rule) +
                     'policy pol {\n  plans = [p]\n  attach = [org_root]\n}\n'
                     'notify alerts {\n  topic = "alerts"\n  on = [backup_failed]\n  email = ["ops@example.com"]\n}\n'
                     "restore_test weekly {\n  schedule = weekly on sunday at 03:00\n  vaults = [local]\n"
                     "  test files { type = efs; role = default_backup_role }\n}\n")
        if shape == "key_grants":
            # one rule copying into n vaults of n accounts, all encrypted
            # with one key shared with those n accounts, which grants n + 1
            # actions (OB7001, OB7004: each use asked once)
            return P(tail="".join('account a%d = "1%011d"\n' % (i, i) for i in range(n)) +
                     'account backup = "222222222222"\n'
                     'permissions many = [%s, "kms:*"]\n' % ", ".join('"kms:Op%d"' % i for i in range(n)) +
                     'key shared {\n  alias = "alias/shared"\n  owner = backup\n  region = eu-west-1\n'
                     '  grants = many\n  grant_to = [%s]\n}\n' % ", ".join("a%d" % i for i in range(n)) +
                     "".join('vault v%d { name = "v%d"; owner = a%d; region = eu-west-1; key = shared; '
                             'accept_copies_from = organization }\n' % (i, i, i) for i in range(n)) +
                     "plan copying {\n  regions = [eu-west-1]\n  select = [tagged]\n"
                     "  rule r {\n    schedule = daily at 05:50\n    vault = local\n    delete_after = 35d\n%s  }\n}\n"
                     % "".join("    copy to v%d { delete_after = 35d }\n" % i for i in range(n)) +
                     "policy copying_pol {\n  plans = [copying]\n  attach = [org_root]\n}\n")
        if shape == "key_policies":
            # one plan of n rules into a vault with a key, in n policies
            # (the key's uses: each plan's rules walked once)
            return P(tail='key k { alias = "alias/k"; owner = members; region = eu-west-1; '
                          'grants = backup_vault_key }\nvault keyed { name = "keyed"; key = k }\n' +
                     "plan fixed {\n  select = [tagged]\n%s}\n"
                     % "".join("  rule r%d { schedule = daily at 05:50; vault = keyed; delete_after = 35d }\n"
                               % i for i in range(n)) +
                     "".join("policy fixed_pol%d {\n  plans = [fixed]\n  attach = [org_root]\n}\n" % i
                             for i in range(n)))
        if shape == "continuous_rules":
            # n continuous rules of a plan of n selections (OB4006 asks
            # each rule which types the plan selects)
            return P(tail="".join('selection s%d {\n  role = default_backup_role\n'
                                  '  match = type in [s3, rds, aurora, sap_hana]\n}\n' % i for i in range(n)) +
                     "plan cont {\n  regions = [eu-west-1]\n  select = [%s]\n%s}\n"
                     % (", ".join("s%d" % i for i in range(n)),
                        "".join("  rule r%d { schedule = daily at 05:50; vault = local; delete_after = 35d; "
                                "continuous = true }\n" % i for i in range(n))) +
                     "policy cont_pol {\n  plans = [cont]\n  attach = [org_root]\n}\n")
        if shape == "continuous_plans":
            # n plans backing up continuously into a vault each, each
            # selecting its own value of one tag (OB4020, quiet)
            return P(tail="".join(
                'vault v%d { name = "pitr-%d" }\n'
                'selection s%d {\n  role = default_backup_role\n  match = tag("env") == "e%d"\n}\n'
                "plan c%d {\n  regions = [eu-west-1]\n  select = [s%d]\n  rule pitr { schedule = daily at 05:50; "
                "vault = v%d; continuous = true; delete_after = 35d }\n}\n" % ((i,) * 7) for i in range(n)) +
                "policy pitr {\n  plans = [%s]\n  attach = [org_root]\n}\n" % ", ".join("c%d" % i for i in range(n)))
        if shape == "continuous_values":
            # two plans backing up continuously into a vault each, each
            # selecting n values of one tag (30 per selection, the most AWS
            # takes), disjoint from the other's (OB4020, quiet)
            sels = [["%s%d" % ("ab"[p], k) for k in range(n)[i:i + 30]] for p in range(2) for i in range(0, n, 30)]
            half = len(sels) // 2
            return P(tail="".join('selection s%d {\n  role = default_backup_role\n  match = tag("env") in [%s]\n}\n'
                                  % (i, ", ".join('"%s"' % v for v in vs)) for i, vs in enumerate(sels)) +
                     "".join('vault v%d { name = "pitr-%d" }\n'
                             "plan c%d {\n  regions = [eu-west-1]\n  select = [%s]\n  rule pitr { schedule = daily at "
                             "05:50; vault = v%d; continuous = true; delete_after = 35d }\n}\n"
                             % (p, p, p, ", ".join("s%d" % i for i in range(p * half, (p + 1) * half)), p)
                             for p in range(2)) +
                     "policy pitr {\n  plans = [c0, c1]\n  attach = [org_root]\n}\n")
        if shape == "error_tokens":
            return 'import "std/aws"\npermissions p = [%s]\n' % ", ".join(["a"] * n)
        if shape == "json_document":
            # a BACKUP_POLICY JSON document of n plans, each with two rules
            # (lifecycle, tags, a cross-account copy), a tag selection and
            # plan tags: the JSON front end (json_in.c, json_lower.c)
            def A(v):
                return {"@@assign": v}
            arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:central"
            plans = {}
            for i in range(n):
                rules = {}
                for j, hour in ((0, 5), (1, 6)):
                    rules["r%d" % j] = {
                        "schedule_expression": A("cron(0 %d ? * * *)" % hour),
                        "start_backup_window_minutes": A("60"),
                        "complete_backup_window_minutes": A(600),
                        "target_backup_vault_name": A("org-backup"),
                        "lifecycle": {"delete_after_days": A("35"),
                                      "opt_in_to_archive_for_supported_resources": A(False)},
                        "recovery_point_tags": {"owner": {"tag_key": A("owner"), "tag_value": A("p%d" % i)}},
                        "copy_actions": {arn: {"target_backup_vault_arn": A(arn),
                                               "lifecycle": {"delete_after_days": A("35")}}}}
                plans["plan-%d" % i] = {
                    "regions": A(["eu-west-1", "eu-central-1"]),
                    "rules": rules,
                    "selections": {"tags": {"s%d" % i: {
                        "iam_role_arn": A("arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole"),
                        "tag_key": A("backup-plan"), "tag_value": A(["p%d" % i])}}},
                    "backup_plan_tags": {"team": {"tag_key": A("team"), "tag_value": A("t%d" % i)}}}
            return json.dumps({"plans": plans}, indent=2) + "\n"
        raise ValueError(shape)

    SHAPES = [("equal_values", 25000), ("different_values", 25000), ("tag_keys", 20000),
              ("attach", 25000), ("accounts", 10000), ("rules", 5000), ("unknown_names", 10000),
              ("error_tokens", 25000), ("plan_case", 1000), ("role_account", 2000), ("role_reported", 1000),
              ("same_key_lists", 5000), ("first_time", 2000), ("plans_x_attach", 1000),
              ("plan_in_policies", 1000), ("vault_regions", 5000), ("region_lists", 2000),
              ("rule_regions", 1000), ("copy_accepts", 5000), ("copy_rules", 2000), ("type_lists", 2000),
              ("manifest_regions", 1000), ("deploy_regions", 250), ("key_grants", 2000), ("key_policies", 500),
              ("continuous_rules", 1000),
              ("continuous_plans", 2000), ("continuous_values", 25000), ("json_document", 2000)]
    # `bench.py --linear` (make linear): every shape at small sizes, for a
    # resource test of a few seconds per shape; sizes where the quadratic
    # passes fixed on 2026-12-04 would have failed, where that is cheap.
    LINEAR_SHAPES = [("equal_values", 2000), ("different_values", 2000), ("tag_keys", 1000),
                     ("attach", 2000), ("accounts", 500), ("rules", 250), ("unknown_names", 500),
                     ("error_tokens", 2000), ("plan_case", 100), ("role_account", 500), ("role_reported", 200),
                     ("same_key_lists", 2000), ("first_time", 100), ("plans_x_attach", 200),
                     ("plan_in_policies", 400), ("vault_regions", 2000), ("region_lists", 1500),
                     ("rule_regions", 100), ("copy_accepts", 300), ("copy_rules", 200), ("type_lists", 300),
                     ("manifest_regions", 300), ("deploy_regions", 200), ("key_grants", 300),
                     ("key_policies", 100), ("continuous_rules", 500),
                     ("continuous_plans", 200), ("continuous_values", 2000), ("json_document", 200)]

    def shapes(self, shapes=None, limit=None):
        """Instructions of `obc check` per list item at N and 4N items for
        each long-list shape: a linear pass keeps the ratio near 1.0
        (below: fixed costs spread); a quadratic one makes it about 4.
        With `limit` (make linear) the fixed costs are taken out first
        (the counts at 1 item are subtracted, so linear is near 1.0 even at
        small N) and peak RSS is judged the same way: a shape fails when
        either grows more than `limit` per item. A shape named manifest_*
        is measured with `obc compile`, which alone builds the manifest."""
        if not shutil.which("valgrind"):
            print("\nbench: valgrind not found: shapes skipped")
            return 0
        print("\n== long lists (instructions of obc check per item, N and 4N items)")
        print("%-20s %8s %16s %16s %10s%s" % ("shape", "N", "insns N", "insns 4N", "growth",
                                             "  %10s %10s %10s" % ("KiB N", "KiB 4N", "rss growth")
                                             if limit is not None else ""))
        failed = 0
        for shape, n in shapes or self.SHAPES:
            got, rss = [], []
            for k in ((1, n, 4 * n) if limit is not None else (n, 4 * n)):
                path = os.path.join(self.a.dir, "shape-%s-%d%s" % (shape, k, shape_ext(shape)))
                with open(path, "w") as f:
                    f.write(self.shape_text(shape, k))
                cmd = [self.a.obc, "check", "--color", "never", path]
                if shape.startswith("manifest_"):  # the manifest is built by compile only
                    cmd = [self.a.obc, "compile", "--color", "never", path, "-o", self.out]
                if shape.startswith("deploy_"):  # and the templates and the Terraform module
                    cmd = [self.a.obc, "compile", "--color", "never", path, "-o", self.out, "--emit", "all"]
                got.append(instructions(cmd, os.path.join(self.a.dir, "callgrind.shape." + shape), ok=(0, 1)))
                if limit is not None:
                    # the least of three runs: a run's peak moves by a few
                    # hundred KiB with where the loader puts things
                    rss.append(min(peak_rss(cmd) for _ in range(3)))
            if limit is None:
                growth = (got[1] / (4 * n)) / (got[0] / n)
                self.measured["insns_per_item.growth.%s" % shape] = round(growth, 3)
                print("%-20s %8s %16s %16s %10.3f" % (shape, "{:,}".format(n), "{:,}".format(got[0]),
                                                      "{:,}".format(got[1]), growth), flush=True)
                continue
            growth = (got[2] - got[0]) / max(1, 4 * (got[1] - got[0]))
            # RSS moves by pages: a floor of 1 MiB over the 1-item run keeps
            # small shapes from reading noise as growth
            rss_growth = max(0, rss[2] - rss[0]) / (4 * max(1024, rss[1] - rss[0]))
            bad = growth > limit or rss_growth > limit
            failed += bad
            print("%-20s %8s %16s %16s %10.3f  %10s %10s %10.3f%s"
                  % (shape, "{:,}".format(n), "{:,}".format(got[1]), "{:,}".format(got[2]), growth,
                     "{:,}".format(rss[1]), "{:,}".format(rss[2]), rss_growth, "  FAILED" if bad else ""),
                  flush=True)
        return failed

    def scaling(self):
        """Time and instructions at 0.25 .. 8 MB: both should grow like the
        size, so ms/MB and insns/byte stay flat and the last column near 1.0."""
        sizes = ["250kb", "500kb", "1mb", "2mb", "4mb", "8mb"]
        print("\n== scaling of obc check (time: median of %d runs)" % (self.a.runs or 3))
        print("%-8s %10s %10s %10s %16s %12s %12s" %
              ("input", "bytes", "median ms", "ms/MB", "instructions", "insns/byte", "vs 250kb"))
        base = None
        for s in sizes:
            path = os.path.join(self.a.dir, "gen-%s.ob" % s)
            size = program_bytes(path)
            med, _lo, _hi = timed(self.cmds(path)["check"], self.a.runs or 3, False)
            n = instructions(self.cmds(path)["check"], os.path.join(self.a.dir, "callgrind.scaling." + s))
            if base is None:
                base = n / size
            print("%-8s %10s %10.1f %10.1f %16s %12.1f %12.2f" %
                  (s, "{:,}".format(size), med * 1e3, med * 1e3 / (size / MB), "{:,}".format(n),
                   n / size, (n / size) / base))


def shape_ext(shape):
    """The file name ending of a shape's input: json_* shapes are policy
    documents, the others programs."""
    return ".json" if shape.startswith("json_") else ".ob"


def linear(a):
    """The resource test of `make linear`: instruction counts (callgrind,
    never seconds) of `obc check` on every long-list shape at N and 4N
    items. A linear program keeps instructions per item about flat (4x the
    instructions for 4x the items); one quadratic in a list pushes the
    ratio toward 4."""
    if not shutil.which("valgrind"):
        sys.exit("bench: valgrind is needed for make linear")
    os.makedirs(a.dir, exist_ok=True)
    shapes = [(s, n) for s, n in Bench.LINEAR_SHAPES if not a.only or s in a.only.split(",")]
    failed = Bench(a).shapes(shapes, a.linear)
    if failed:
        print("linear: %d shape(s) grow faster than linearly (past %g per item from N to 4N)" % (failed, a.linear))
        return 1
    print("linear: every shape grows linearly (at most %g per item from N to 4N)" % a.linear)
    return 0


def worst(a):
    """Every shape at the largest N whose program fits in `a.worst` bytes:
    wall time and peak RSS of one run each (`obc compile` for the
    manifest shapes, which only compile builds), sorted by time. The
    figure a review asks for: the worst input of at most 1 MB."""
    if not os.access("/usr/bin/time", os.X_OK):
        sys.exit("bench: --worst needs GNU time (/usr/bin/time, Debian package time)")
    os.makedirs(a.dir, exist_ok=True)
    b, rows = Bench(a), []
    for shape, _n in Bench.SHAPES:
        size = lambda n: len(b.shape_text(shape, n).encode())
        lo, hi = 1, 2
        while size(hi) <= a.worst and hi < 10 ** 7:
            lo, hi = hi, hi * 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if size(mid) <= a.worst else (lo, mid)
        path = os.path.join(a.dir, "worst-%s%s" % (shape, shape_ext(shape)))
        with open(path, "w") as f:
            f.write(b.shape_text(shape, lo))
        cmd = ([a.obc, "compile", path, "-o", os.path.join(a.dir, "worst-out-" + shape)]
               if shape.startswith("manifest_") else [a.obc, "check", path])
        # GNU time's peak RSS is obc's own (a child of this process would
        # start from this process's size, which the generated text inflates)
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M %x"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        secs, kib, rc = r.stderr.strip().split("\n")[-1].split()
        rows.append((float(secs), shape, lo, os.path.getsize(path), int(kib) // 1024, int(rc)))
    print("%-20s %8s %10s %8s %8s %4s" % ("shape", "N", "bytes", "seconds", "MB", "exit"))
    for secs, shape, n, nbytes, mb, rc in sorted(rows, reverse=True):
        print("%-20s %8d %10d %8.2f %8d %4d" % (shape, n, nbytes, secs, mb, rc))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--obc", required=True)
    ap.add_argument("--frontend")
    ap.add_argument("--dir", required=True)
    ap.add_argument("--budgets")
    ap.add_argument("--quick", action="store_true", help="skip the 8 MB and 10 MB inputs")
    ap.add_argument("--scaling", action="store_true", help="also print the scaling table")
    ap.add_argument("--runs", type=int, default=0, help="runs per measurement (default: per input)")
    ap.add_argument("--linear", type=float, metavar="LIMIT",
                    help="only the long-list shapes, at small sizes: fail when instructions per item grow "
                         "more than LIMIT from N to 4N items (make linear)")
    ap.add_argument("--only", metavar="SHAPE,...", help="with --linear: only these shapes")
    ap.add_argument("--worst", type=int, metavar="BYTES",
                    help="every shape at the largest size under BYTES: seconds and peak RSS of one run each")
    a = ap.parse_args()
    if a.linear is not None:
        return linear(a)
    if a.worst is not None:
        return worst(a)
    if not (a.frontend and a.budgets):
        ap.error("--frontend and --budgets are required")
    b = Bench(a)
    print("obc benchmark, %s: %s, %d CPUs, Linux %s" % (time.strftime("%Y-%m-%d"), cpu_model(),
                                                       os.cpu_count() or 0, os.uname().release))
    b.examples()
    b.generated()
    b.counts()
    b.shapes()
    b.table()
    if a.scaling:
        b.scaling()
    failed = check_budgets(b.measured, a.budgets)
    if failed:
        print("\nbench: %d enforced budget(s) exceeded by more than the allowed factor" % failed)
        return 1
    print("\nbench: every enforced budget holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
