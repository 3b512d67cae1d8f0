"""The bundled example suite passes on the CPU with the real IREE tools, and
its reports have the reference plugin's structure."""

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

from conftest import EXAMPLES, REPO, SEED_COLLECT, SEED_COMMANDS, _tools_dir, run_binary


def test_examples_pass_and_reports_match_reference(example_suite):
    junit = example_suite.tmp / "junit.xml"
    result = example_suite.run(f"--junitxml={junit}", "--durations=3")
    assert result.returncode == 0, result.output
    assert re.search(r"=+ 8 passed in [\d.]+s =+", result.stdout), result.stdout
    # Header names the version and each IREE tool with its path and version.
    assert "iree-suite 0.1.0 session starts" in result.stdout
    assert re.search(r"iree-compile: /\S+/iree-compile (-> /\S+/iree-compile )?\(3\.13\.0",
                     result.stdout)
    assert "slowest 3 durations" in result.stdout

    md = (example_suite.summary_dir / "job_summary.md").read_text()
    assert md.startswith("# Job Summary For Markers: \n\n")
    assert "## Benchmark Test Summary" in md and "## Compstat Test Summary" in md
    assert "| Name " in md and "| Status " in md

    summary = json.loads((example_suite.summary_dir / "job_summary.json").read_text())
    assert set(summary) == {"quality", "benchmark", "compstat"}
    assert summary["benchmark"]["headers"] == [
        "Name", "Current Time (ms)", "Golden Time (ms)", "Tolerance Factor", "Threshold (ms)",
        "Status"]
    assert summary["compstat"]["headers"] == [
        "Name", "Golden Dispatch Count", "Current Dispatch Count",
        "Golden Binary Size (bytes)", "Current Binary Size (bytes)", "Status"]
    assert summary["quality"]["headers"] == ["Name", "Status"]
    rows = {row[0]: row for rows in summary.values() for row in rows["rows"]}
    assert rows["mlp/mlp_quality_cpu.json"] == ["mlp/mlp_quality_cpu.json", "PASSED"]
    bench = rows["mlp/mlp_benchmark_cpu.json"]
    assert bench[2] == "1000.000" and bench[3] == "1.5" and bench[4] == "1500.000"
    assert re.fullmatch(r"\d+\.\d{3}", bench[1])
    no_golden = rows["multi_module/multi_module_benchmark_cpu.json"]
    assert no_golden[2] == "N/A" and no_golden[4] == "N/A" and no_golden[5] == "PASSED"
    compstat = rows["mlp/mlp_compstat_gfx942.json"]
    assert compstat[1] == 4 and isinstance(compstat[2], int) and isinstance(compstat[4], int)

    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "8" and suite.get("failures") == "0"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert "mlp/mlp_quality_cpu.json" in cases
    markers = {p.get("value") for p in cases["mlp/mlp_quality_cpu.json"].iter("property")}
    assert {"cpu", "quick", "quality"} <= markers


def test_modules_are_cached_by_content(example_suite):
    first = example_suite.run("-m", "compstat and cpu", "--log-cli-level=INFO")
    assert first.returncode == 0, first.output
    # INFO logs each tool command as it starts: the compile, before the verdict.
    compiles = re.findall(r"^  \$ cd \S+ && \S+/iree-compile \S+/mlp\.mlir -o ", first.stdout, re.M)
    assert len(compiles) == 1, first.stdout
    assert (first.stdout.index(compiles[0]) <
            first.stdout.index("mlp/mlp_compstat_cpu.json PASSED")), first.stdout
    vmfbs = sorted(example_suite.artifacts.glob("modules/*/*/module.vmfb"))
    assert len(vmfbs) == 1
    stamp = vmfbs[0].stat().st_mtime_ns

    # Same inputs: reused, not recompiled.
    second = example_suite.run("-m", "compstat and cpu")
    assert second.returncode == 0, second.output
    assert vmfbs[0].stat().st_mtime_ns == stamp

    # --force-recompile compiles again into the same entry.
    forced = example_suite.run("-m", "compstat and cpu", "--force-recompile")
    assert forced.returncode == 0, forced.output
    assert vmfbs[0].stat().st_mtime_ns != stamp

    # Changed flags: a new entry beside the old one.
    module = example_suite.root / "modules/mlp_cpu.json"
    data = json.loads(module.read_text())
    data["compiler_flags"].append("--iree-opt-level=O1")
    module.write_text(json.dumps(data))
    changed = example_suite.run("-m", "compstat and cpu")
    assert changed.returncode == 0, changed.output
    assert len(list(example_suite.artifacts.glob("modules/*/*/module.vmfb"))) == 2
    # No temp or failed entries are left behind.
    assert not list(example_suite.artifacts.glob("modules/*/*.tmp.*"))


def test_module_shared_by_tests_is_compiled_once_per_run(example_suite):
    import json
    trace = example_suite.tmp / "trace.json"
    result = example_suite.run("-m", "cpu", "--force-recompile", f"--trace={trace}", "-j", "2")
    assert result.returncode == 0, result.output
    compiles = [e["name"] for e in json.loads(trace.read_text())["traceEvents"]
                if e.get("cat") == "compile"]
    # mlp_cpu serves three of the tests, activations_cpu and pipeline_cpu two:
    # each of the four modules is compiled exactly once.
    assert sorted(compiles) == ["examples/modules/activations_cpu", "examples/modules/mlp_cpu",
                                "examples/modules/pipeline_cpu",
                                "examples/modules/splat_affine_cpu"], compiles


def test_marker_and_keyword_selection(example_suite):
    quick = example_suite.run("-m", "quick", "--collect-only")
    assert quick.returncode == 0, quick.output
    ids = [line.split()[0] for line in quick.stdout.splitlines() if line.endswith("]")]
    assert ids == ["mlp/mlp_compstat_cpu.json", "mlp/mlp_quality_cpu.json",
                   "params/splat_quality_cpu.json"]

    keyword = example_suite.run("-k", "multi_module and not benchmark", "--collect-only")
    ids = [line.split()[0] for line in keyword.stdout.splitlines() if line.endswith("]")]
    assert ids == ["multi_module/multi_module_quality_cpu.json"]

    positional = example_suite.run("--collect-only", example_suite.root / "multi_module")
    ids = [line.split()[0] for line in positional.stdout.splitlines() if line.endswith("]")]
    assert ids == ["multi_module/multi_module_benchmark_cpu.json",
                   "multi_module/multi_module_quality_cpu.json"]

    none = example_suite.run("-m", "no_such_marker")
    assert none.returncode == 5, none.output
    none = example_suite.run("-m", "no_such_marker", "--collect-only")
    assert none.returncode == 5, none.output


def _seed_root(tmp_path):
    """A copy of the repository's examples/ in a fresh folder that stands for
    the repository root, where the seed's README commands are typed."""
    root = tmp_path / "root"
    shutil.copytree(EXAMPLES, root / "examples")
    return root


def _run_verbatim(binary, root, args):
    # The tools come from the environment, so the command line is the seed's own.
    env = {**os.environ, "IREE_SUITE_TOOLS_DIR": str(_tools_dir())}
    return run_binary([binary, *args], cwd=root, env=env)


def test_seed_readme_commands_work_verbatim_from_the_root(binary, tmp_path):
    root = _seed_root(tmp_path)
    everything = _run_verbatim(binary, root, SEED_COMMANDS["all"])
    assert everything.returncode == 0, everything.output
    assert re.search(r"=+ 8 passed in", everything.stdout), everything.stdout
    assert "not found" not in everything.output
    # --log-cli-level=info: each tool runs in ./ (the external file directory)
    # on the paths the JSON files name relative to it.
    assert re.search(rf"^  \$ cd {re.escape(str(root))} && \S+/iree-compile "
                     r"examples/mlp/mlp\.mlir -o ", everything.stdout, re.M), everything.stdout
    assert (root / "job_summary.json").is_file() and (root / "artifacts" / "modules").is_dir()

    for name in ("hip_and_benchmark", "no_live_logs"):  # no HIP benchmark among the examples
        nothing = _run_verbatim(binary, root, SEED_COMMANDS[name])
        assert nothing.returncode == 5, nothing.output
        assert "8 deselected" in nothing.stdout, nothing.stdout

    collected = _run_verbatim(binary, root, SEED_COLLECT)
    assert collected.returncode == 0, collected.output
    ids = [line.split()[0] for line in collected.stdout.splitlines() if line.endswith("]")]
    assert len(ids) == 7 and "mlp/mlp_compstat_sm80.json" not in ids, collected.stdout

    vmfbs = sorted((root / "artifacts").glob("modules/*/*/module.vmfb"))
    stamps = [vmfb.stat().st_mtime_ns for vmfb in vmfbs]
    forced = _run_verbatim(binary, root, SEED_COMMANDS["force_recompile"])
    assert forced.returncode == 0, forced.output
    assert re.search(r"=+ 7 passed, 1 deselected in", forced.stdout), forced.stdout
    # Every module of the seven (all but the sm_80 one) was compiled again.
    changed = [v for v, s in zip(vmfbs, stamps) if v.stat().st_mtime_ns != s]
    assert len(changed) == len(vmfbs) - 1, forced.stdout


def test_bundled_examples_name_modules_and_files_from_the_repository_root():
    for path in EXAMPLES.rglob("*.json"):
        data = json.loads(path.read_text())
        names = data.get("modules", []) + [data[k] for k in ("module", "mlir") if k in data]
        names += [item.get("module", "") for item in data.get("weights", [])]
        names += [item["url"] for key in ("weights", "inputs", "expected_outputs")
                  for item in data.get(key, []) if "url" in item]
        for name in filter(None, names):
            assert name.startswith("examples/"), (path, name)
            target = REPO / name if "/modules/" not in name else REPO / f"{name}.json"
            assert target.is_file(), (path, name)


def _module_entry(example_suite):
    [vmfb] = example_suite.artifacts.glob("modules/examples_modules_mlp_cpu+*/*/module.vmfb")
    return vmfb.parent


def test_a_damaged_cached_module_is_found_and_compiled_again(example_suite, binary):
    first = example_suite.run("-k", "mlp_compstat_cpu")
    assert first.returncode == 0, first.output
    entry = _module_entry(example_suite)
    size = (entry / "module.vmfb").stat().st_size
    # Published with the size and hash of each of its files.
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["files"]["module.vmfb"]["size"] == size
    assert len(manifest["files"]["module.vmfb"]["sha256"]) == 64

    verify = [binary, "cache", "verify", f"--artifact-directory={example_suite.artifacts}"]
    # Same size, other bytes: only the hash shows it, and only `cache verify` hashes.
    data = bytearray((entry / "module.vmfb").read_bytes())
    data[size // 2] ^= 0xFF
    (entry / "module.vmfb").write_bytes(bytes(data))
    flipped = run_binary(verify)
    assert flipped.returncode == 1, flipped.output
    assert "module.vmfb: contents differ from when published" in flipped.stdout, flipped.stdout

    with open(entry / "module.vmfb", "r+b") as vmfb:
        vmfb.truncate(100)
    truncated = run_binary(verify)
    assert "module.vmfb: 100 bytes, {} when published (truncated)".format(size) in \
        truncated.stdout, truncated.stdout
    assert re.search(r"\b1 problems?\b", truncated.stdout), truncated.stdout

    # A run checks the size before it uses the entry: it compiles it again.
    again = example_suite.run("-k", "mlp_compstat_cpu")
    assert again.returncode == 0, again.output
    assert "is damaged (module.vmfb: 100 bytes" in again.stderr, again.output
    assert f"2 dispatches, {size} bytes" in again.stdout, again.stdout
    assert (entry / "module.vmfb").stat().st_size == size
    assert "0 problems" in run_binary(verify).stdout


def test_the_suite_compiles_to_the_same_bytes_wherever_it_is(binary, tmp_path):
    # The module embeds its input's path as given: the suite's MLIR is named
    # relative to the external file directory, so the size is the machine's
    # no more than the checkout's path.
    vmfbs = []
    for folder in ("r", "a much longer name for a checkout/of/the repository"):
        root = _seed_root(tmp_path / folder)
        result = _run_verbatim(binary, root, [*SEED_COMMANDS["all"], "-k", "mlp_compstat_cpu"])
        assert result.returncode == 0, result.output
        assert re.search(r"&& \S+/iree-compile examples/mlp/mlp\.mlir -o ", result.stdout)
        [vmfb] = (root / "artifacts").glob("modules/*mlp_cpu*/*/module.vmfb")
        vmfbs.append(vmfb.read_bytes())
    assert vmfbs[0] == vmfbs[1]


def test_the_compstat_repro_writes_beside_the_cache_not_into_it(example_suite, binary):
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_binary_size=1)
    failed = example_suite.run("-k", "mlp_compstat_cpu")
    assert failed.returncode == 1, failed.output
    repro = re.search(r"^cd (\S+) && (\S+/iree-compile .*)$", failed.stdout, re.M)
    assert repro, failed.stdout
    entry = _module_entry(example_suite)
    stamp = (entry / "module.vmfb").stat().st_mtime_ns
    # Run by hand (argv, no shell): it reproduces the module in repro/...
    rerun = run_binary(repro.group(2).split(" "), cwd=repro.group(1))
    assert rerun.returncode == 0, rerun.output
    [copy] = example_suite.artifacts.glob("repro/examples_modules_mlp_cpu+*/*/module.vmfb")
    assert copy.read_bytes() == (entry / "module.vmfb").read_bytes()
    # ... and leaves the entry the runs use as it was published.
    assert (entry / "module.vmfb").stat().st_mtime_ns == stamp
    verify = run_binary([binary, "cache", "verify",
                         f"--artifact-directory={example_suite.artifacts}"])
    assert "0 problems" in verify.stdout, verify.output
