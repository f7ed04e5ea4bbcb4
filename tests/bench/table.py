#!/usr/bin/env python3
"""table.py - the performance figures of docs/performance.md, measured in
one run (make bench runs it; `tests/bench/run.sh --table` prints only it).

    table.py --obc BUILD/obc --dir BUILD/bench [--runs N] [--quick]
             [--growth SMALL,LARGE --limit X]

Figures, each from the same run so machine noise hits them alike:
  - `obc check` and `obc compile` of generated programs of 10 KB, 100 KB,
    1 MB and 8 MB, in 1 and 4 files: median wall time, MB/s, and the
    time as a ratio to `cat FILES >/dev/null` and to `jq empty` on a JSON
    file of the same size; the three commands run interleaved, round
    after round;
  - instructions (callgrind) of `obc check` per input byte at 1 MB and
    8 MB, and their ratio (linearity: a pass quadratic in the program
    makes it grow with the size);
  - peak RSS of `obc check` as a multiple of the input size;
  - a small example (examples/central-copy.ob): `obc check` against `cat`
    of the same file, the difference in milliseconds.

With --growth SMALL,LARGE --limit X (make linear, in make check): only the
instructions per byte of `obc check` at the two sizes, the fixed cost (a
program that only imports the standard library) taken out; exits 1 when
LARGE's per-byte cost is more than X times SMALL's.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import instructions, peak_rss, program_bytes  # noqa: E402

MB = 1000 * 1000
SIZES = [("10kb", 10000), ("100kb", 100000), ("1mb", 1000000), ("8mb", 8000000)]
SMALL_EXAMPLE = "examples/central-copy.ob"


def generate(out_dir, size, files):
    """The generated program of `size` bytes in `files` files (gen.py,
    deterministic); reused while gen.py is older. Returns the path obc
    takes (a file, or main.ob of a directory)."""
    name = "table-%d%s" % (size, "" if files == 1 else "-%df" % files)
    path = os.path.join(out_dir, name + (".ob" if files == 1 else ""))
    gen = os.path.join(HERE, "gen.py")
    if not os.path.exists(path) or os.path.getmtime(gen) > os.path.getmtime(path):
        split = ["--files", str(files)] if files > 1 else []
        subprocess.run([sys.executable, gen, "--size", str(size)] + split + [path], check=True)
    return path if files == 1 else os.path.join(path, "main.ob")


def program_files(path):
    """The .ob files of a program (for cat)."""
    if os.path.basename(path) != "main.ob":
        return [path]
    d = os.path.dirname(path)
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".ob"))


def json_of_size(out_dir, size):
    """A JSON document of about `size` bytes: BACKUP_POLICY-like objects."""
    path = os.path.join(out_dir, "table-%d.json" % size)
    if os.path.exists(path) and abs(os.path.getsize(path) - size) < size // 50 + 200:
        return path
    plans, i, total = {}, 0, 2
    while total < size:
        p = {"regions": {"@@assign": ["eu-west-1", "eu-central-1"]},
             "rules": {"daily": {"schedule_expression": {"@@assign": "cron(0 5 ? * * *)"},
                                 "target_backup_vault_name": {"@@assign": "vault-%d" % i},
                                 "lifecycle": {"delete_after_days": {"@@assign": "35"}}}},
             "selections": {"tags": {"s%d" % i: {"tag_key": {"@@assign": "backup"},
                                                 "tag_value": {"@@assign": ["plan-%d" % i]}}}}}
        text = json.dumps(p, indent=2)
        plans["plan-%06d" % i] = p
        total += len(text) + 20
        i += 1
    with open(path, "w") as f:
        json.dump({"plans": plans}, f, indent=2)
        f.write("\n")
    return path


def run(cmd):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def interleaved(cmds, runs):
    """Median seconds of each command, run round after round (one warm-up
    round first)."""
    for c in cmds:
        run(c)
    times = [[] for _ in cmds]
    for _ in range(runs):
        for i, c in enumerate(cmds):
            times[i].append(run(c))
    return [statistics.median(t) for t in times]


def fixed_instructions(obc, out_dir):
    """Instructions of `obc check` on a program that only imports the
    standard library: start-up and the library, the cost of any run."""
    path = os.path.join(out_dir, "table-empty.ob")
    with open(path, "w") as f:
        f.write('import "std/aws"\n')
    return instructions([obc, "check", path], os.path.join(out_dir, "callgrind.table-empty"), ok=(0, 1))


def growth(a):
    small, large = (int(x) for x in a.growth.split(","))
    os.makedirs(a.dir, exist_ok=True)
    fixed = fixed_instructions(a.obc, a.dir)
    per = []
    for size in (small, large):
        path = generate(a.dir, size, 1)
        n = instructions([a.obc, "check", path], os.path.join(a.dir, "callgrind.growth.%d" % size))
        per.append((n - fixed) / program_bytes(path))
        print("linear: obc check of %s bytes: %s instructions, %.1f per byte beyond the fixed %s"
              % ("{:,}".format(program_bytes(path)), "{:,}".format(n), per[-1], "{:,}".format(fixed)))
    ratio = per[1] / per[0]
    ok = ratio <= a.limit
    print("linear: instructions per byte grow %.3fx from %s to %s bytes (limit %.2fx): %s"
          % (ratio, "{:,}".format(small), "{:,}".format(large), a.limit, "ok" if ok else "FAILED"))
    return 0 if ok else 1


class Table:
    def __init__(self, a):
        self.a = a
        self.rows = []      # markdown rows of the throughput table
        self.figures = {}   # name -> value, for budgets and the summary

    def throughput(self):
        a = self.a
        runs = a.runs or 5
        out = os.path.join(a.dir, "table-out")
        print("== obc against cat and jq empty (median of %d interleaved rounds)" % runs)
        print("%-16s %10s %8s %10s %10s %10s %9s %9s %9s" %
              ("program", "bytes", "command", "obc ms", "cat ms", "jq ms", "MB/s", "x cat", "x jq"))
        for tag, size in SIZES:
            if a.quick and size > MB:
                continue
            for files in (1, 4):
                path = generate(a.dir, size, files)
                nbytes = program_bytes(path)
                doc = json_of_size(a.dir, nbytes)
                cat = ["cat"] + program_files(path)
                jq = ["jq", "empty", doc]
                for what in ("check", "compile"):
                    cmd = [a.obc, what, path] + (["-o", out] if what == "compile" else [])
                    n = runs if size <= MB else max(3, runs // 2)
                    t_obc, t_cat, t_jq = interleaved([cmd, cat, jq], n)
                    mbs = nbytes / MB / t_obc
                    label = "%s, %d file%s" % (tag, files, "" if files == 1 else "s")
                    print("%-16s %10s %8s %10.2f %10.2f %10.2f %9.1f %9.1f %9.2f" %
                          (label, "{:,}".format(nbytes), what, t_obc * 1e3, t_cat * 1e3, t_jq * 1e3, mbs,
                           t_obc / t_cat, t_obc / t_jq))
                    self.rows.append("| %s | %s | `obc %s` | %.1f ms | %.1f MB/s | %.1fx | %.2fx |" %
                                     (label, "{:,}".format(nbytes), what, t_obc * 1e3, mbs, t_obc / t_cat,
                                      t_obc / t_jq))
                    if files == 1:
                        self.figures["mb_per_s.%s.%s" % (what, tag)] = round(mbs, 1)
                        self.figures["x_jq.%s.%s" % (what, tag)] = round(t_obc / t_jq, 2)

    def small(self):
        runs = (self.a.runs or 5) * 6
        cmd = [self.a.obc, "check", SMALL_EXAMPLE]
        t_obc, t_cat = interleaved([cmd, ["cat", SMALL_EXAMPLE]], runs)
        self.figures["ms.check.small_minus_cat"] = round((t_obc - t_cat) * 1e3, 2)
        print("\n== a small check: obc check %s %.2f ms, cat %.2f ms: %.2f ms more (median of %d rounds)"
              % (SMALL_EXAMPLE, t_obc * 1e3, t_cat * 1e3, (t_obc - t_cat) * 1e3, runs))
        n = instructions(cmd, os.path.join(self.a.dir, "callgrind.table-small"))
        c = instructions(["cat", SMALL_EXAMPLE], os.path.join(self.a.dir, "callgrind.table-cat"))
        self.figures["insns.check.small"] = n
        print("   instructions: obc check %s, cat %s" % ("{:,}".format(n), "{:,}".format(c)))

    def memory_and_instructions(self):
        a = self.a
        print("\n== instructions per byte and peak memory of obc check")
        per = {}
        for tag, size in SIZES:
            if size < MB or (a.quick and size > MB):
                continue
            path = generate(a.dir, size, 1)
            nbytes = program_bytes(path)
            n = instructions([a.obc, "check", path], os.path.join(a.dir, "callgrind.table-" + tag))
            rss = peak_rss([a.obc, "check", path]) * 1024
            per[tag] = n / nbytes
            self.figures["insns_per_byte.check.%s" % tag] = round(n / nbytes, 1)
            self.figures["rss_ratio.check.%s" % tag] = round(rss / nbytes, 1)
            print("%-6s %12s bytes %16s instructions %9.1f per byte   peak RSS %7.1f MB = %5.1fx the input"
                  % (tag, "{:,}".format(nbytes), "{:,}".format(n), n / nbytes, rss / MB, rss / nbytes))
        if "1mb" in per and "8mb" in per:
            self.figures["insns_per_byte.growth.1mb_to_8mb"] = round(per["8mb"] / per["1mb"], 3)
            print("growth of instructions per byte, 1 MB -> 8 MB: %.3fx" % (per["8mb"] / per["1mb"]))

    def markdown(self):
        f = self.figures
        print("\n== for docs/performance.md")
        print("| program | bytes | command | median | throughput | vs cat | vs jq empty |")
        print("|---|---|---|---|---|---|---|")
        for r in self.rows:
            print(r)
        print()
        for k in sorted(f):
            print("- %s: %s" % (k, f[k]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--obc", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--runs", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="up to 1 MB")
    ap.add_argument("--growth", metavar="SMALL,LARGE")
    ap.add_argument("--limit", type=float, default=1.02)
    a = ap.parse_args()
    if a.growth:
        return growth(a)
    os.makedirs(a.dir, exist_ok=True)
    t = Table(a)
    t.throughput()
    t.small()
    t.memory_and_instructions()
    t.markdown()
    with open(os.path.join(a.dir, "table.json"), "w") as out:
        json.dump(t.figures, out, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
