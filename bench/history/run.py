#!/usr/bin/env python3
"""History scale benchmark: 1,000 tests x 1,000 runs.

Writes RUNS synthetic results.json files of TESTS benchmarks each (a tenth of
the tests get a 15% step half-way), imports them into SQLite and into a
PostgreSQL server started for the purpose (initdb in a temp dir, a Unix
socket, run as the `postgres` user when root), then times `history show` and
`history changes` on each. Prints every figure with its target and ratio:

  show, changes: < 2 s each    import of 1,000 files: < 30 s    database: < 200 MB

    python3 bench/history/run.py [--tests 1000] [--runs 1000] [--keep DIR] [--only sqlite|postgresql]
                                 [--baseline OLD-IREE-SUITE-BINARY]

Each figure comes with its CPU seconds (for PostgreSQL the server's too): on
a shared machine the wall time waits for cores, the CPU time does not. With
--baseline the same steps run with another binary right after, and each
figure gets the ratio this / baseline, which holds under load.
"""

import argparse
import json
import os
import random
import resource
import sys
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = REPO / "build" / "iree-suite"
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from postgres_server import PostgresServer  # noqa: E402  (the tests' throwaway server)


def write_results(directory, tests, runs):
    rng = random.Random(1)
    stepped = set(range(0, tests, 10))
    base = [rng.uniform(1, 100) for _ in range(tests)]
    files = []
    for run in range(runs):
        day, second = divmod(run, 24)
        context = {
            "iree_suite_version": "0.1.0",
            "tools": [{"name": "iree-compile", "path": "/opt/iree-compile",
                       "version": f"3.13.0 @ {run:040x}"}],
            "host_name": f"ci-{run % 4}", "cpu_model": "Bench CPU", "core_count": 16,
            "load_average": [1.0, 1.0, 1.0],
            "start_time": f"2025-{1 + day // 28:02d}-{1 + day % 28:02d}T{second:02d}:00:00Z",
            "suite_git_commit": None, "run_id": f"bench-{run}",
            "ci": {"GITHUB_SHA": f"{run:040x}", "GITHUB_RUN_ID": str(run)},
        }
        entries = []
        for t in range(tests):
            level = base[t] * (1.15 if t in stepped and run >= runs // 2 else 1.0)
            samples = [round(level * (1 + 0.02 * rng.random()), 4) for _ in range(3)]
            golden = round(base[t] * 1.1, 3)
            entries.append({
                "id": f"suite/model_{t:04d}_benchmark.json", "type": "benchmark",
                "markers": ["cpu", "benchmark"], "outcome": "passed", "reason": "",
                "failed_step": None, "duration_s": 1.5,
                "benchmark": {"unit": "ms", "samples": samples, "golden_time_ms": golden,
                              "tolerance_factor": 1.1, "threshold_ms": round(golden * 1.1, 3)},
            })
        path = directory / f"results_{run:04d}.json"
        path.write_text(json.dumps({"schema": "iree-suite-results", "version": 1,
                                    "context": context, "tests": entries}))
        files.append(path)
    return files


def timed(argv, server=None):
    """Wall seconds, CPU seconds and stdout of a command. On a shared machine
    the wall time includes waiting for a core; the CPU time does not. CPU is
    the command's own (user + sys) plus, with `server`, what the PostgreSQL
    server spent meanwhile."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_before = server.cpu_seconds() if server else 0
    start = time.perf_counter()
    result = subprocess.run([str(a) for a in argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if server:
        cpu += server.cpu_seconds() - server_before
    if result.returncode not in (0, 1):
        raise SystemExit(f"{argv[:3]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, cpu, result.stdout


TARGETS = {"import": 30, "show": 2, "changes": 2}


def measure(binary, location, files, server):
    """{step: (wall, cpu)} for import, show and changes, and the two notes."""
    figures, notes = {}, []
    for step, argv in [("import", ["import", f"--history={location}", *files]),
                       ("show", ["show", f"--history={location}"]),
                       ("changes", ["changes", f"--history={location}"])]:
        elapsed, cpu, out = timed([binary, "history", *argv], server)
        figures[step] = (elapsed, cpu)
        if step != "show":
            notes.append(out.strip().splitlines()[0])
    return figures, notes


def report(name, value, target, unit, cpu=None):
    extra = f"  (cpu {cpu:.2f} s, ratio {cpu / target:.2f})" if cpu is not None else ""
    print(f"  {name:<28} {value:9.2f} {unit:<3} target < {target:g} {unit}  "
          f"ratio {value / target:.2f} {'ok' if value < target else 'MISSED'}{extra}")


def bench_store(label, locations, files, size_of, server=None, baseline=None):
    """`locations`: a fresh, empty store per call. With `baseline` (another
    binary) the same steps run with it right after, on a store of its own,
    and each figure gets the ratio this binary / baseline."""
    cpu_note = " + server" if server else ""
    print(f"{label} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"cpu = client{cpu_note}):")
    figures, notes = measure(BINARY, locations(), files, server)
    print(f"  ({notes[0]})")
    names = {"import": f"import of {len(files)} files", "show": "history show",
             "changes": "history changes"}
    for step, (elapsed, cpu) in figures.items():
        report(names[step], elapsed, TARGETS[step], "s", cpu)
    print(f"  ({notes[1]})")
    for name, size in size_of().items():
        report(name, size / 1e6, 200, "MB")
    if baseline:
        before, _ = measure(baseline, locations(), files, server)
        print(f"  against {baseline} (load average {os.getloadavg()[0]:.1f}), this / baseline:")
        for step, (elapsed, cpu) in figures.items():
            print(f"    {names[step]:<26} wall {elapsed:7.2f} / {before[step][0]:7.2f} s = "
                  f"{elapsed / before[step][0]:.2f}   cpu {cpu:7.2f} / {before[step][1]:7.2f} s"
                  f" = {cpu / before[step][1]:.2f}")


def postgres_size(server, database):
    """The history's tables with their indexes and TOAST, and the whole
    database (which adds PostgreSQL's own catalog, about 7.5 MB)."""
    tables, size = server.query(
        "SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY['runs', 'tests', 'results', "
        "'iree_suite_meta']) t", f"SELECT pg_database_size('{database}')", database=database)
    return {"history tables size": int(tables), "database size": int(size)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the files in this directory")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one backend only")
    parser.add_argument("--baseline", type=Path,
                        help="another iree-suite binary (say, of the previous commit) to time "
                             "right after this one: ratios that hold on a loaded machine")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="iree-suite-history-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        results = root / "results"
        results.mkdir(exist_ok=True)
        start = time.perf_counter()
        files = sorted(results.glob("results_*.json"))
        if len(files) != args.runs:  # --keep a directory to reuse its files
            files = write_results(results, args.tests, args.runs)
        print(f"{args.tests} tests x {args.runs} runs: wrote {len(files)} results files "
              f"in {time.perf_counter() - start:.1f} s")
        created = []  # the stores made so far; the first is this binary's

        def sqlite_location():
            for old in root.glob("history*.sqlite*") if not created else []:
                old.unlink()
            created.append(root / f"history{len(created)}.sqlite")
            return created[-1]

        if args.only != "postgresql":
            bench_store("SQLite", sqlite_location, files, lambda: {
                "database size": sum(p.stat().st_size for p in root.glob(f"{created[0].name}*"))},
                baseline=args.baseline)
        created.clear()
        if args.only != "sqlite":
            server = PostgresServer(port=54330)

            def postgres_location():
                created.append(f"history{len(created)}")
                server.query(f"CREATE DATABASE {created[-1]}")
                return server.uri_for(created[-1])

            try:
                bench_store("PostgreSQL", postgres_location, files,
                            lambda: postgres_size(server, created[0]), server, args.baseline)
            finally:
                server.stop()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
