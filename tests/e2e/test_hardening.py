"""Hardening: links planted in the artifact directory lead nothing out of it
(runs refuse to write through them, cache commands neither follow nor delete
them), and malformed numbers are errors of their file while the other tests
run."""

import json

from conftest import _binary, run_binary


def plant_precious(tmp_path):
    precious = tmp_path / "precious"
    (precious / "photos").mkdir(parents=True)
    (precious / "notes.txt").write_text("keep me")
    (precious / "photos" / "cat.jpg").write_bytes(b"c" * 5000)
    return precious


def tree(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*"))


def cache(suite, *args):
    return run_binary([_binary(), "cache", *args, f"--artifact-directory={suite.artifacts}"])


def test_runs_and_cache_commands_never_go_through_planted_links(example_suite, tmp_path):
    assert example_suite.run("-k", "mlp_quality").returncode == 0
    precious = plant_precious(tmp_path)
    before = tree(precious)
    # Every kind of the layout now leads outside, at the top and one level down.
    modules = example_suite.artifacts / "modules"
    [module_dir] = [p for p in modules.iterdir() if p.is_dir()]
    [entry] = [p for p in module_dir.iterdir() if p.is_dir()]
    for link in [example_suite.artifacts / "logs", example_suite.artifacts / "parameters"]:
        if link.exists():
            link.rename(link.with_name(link.name + ".old"))
        link.symlink_to(precious, target_is_directory=True)
    (module_dir / "ffffffffffffffff").symlink_to(precious, target_is_directory=True)
    entry.rename(entry.with_name(entry.name + ".moved"))
    entry.symlink_to(precious, target_is_directory=True)

    run = example_suite.run("-k", "mlp_quality", "--force-recompile")
    assert run.returncode == 1, run.output
    assert "is a symbolic link; iree-suite neither writes nor deletes through links" in run.stdout
    assert tree(precious) == before

    for args in (["verify", "--fix"], ["prune", "--max-size=0"], ["info"]):
        result = cache(example_suite, *args)
        assert result.returncode == 1, result.output
        assert "is a symbolic link; not followed, not deleted" in result.output, result.output
        assert tree(precious) == before, args
    assert (example_suite.artifacts / "logs").is_symlink()


def test_a_number_too_large_for_a_double_is_an_error_of_its_file(example_suite):
    path = example_suite.root / "mlp" / "mlp_benchmark_cpu.json"
    text = path.read_text()
    golden = json.loads(text)["golden_time_ms"]
    path.write_text(text.replace(json.dumps(golden), "1e400", 1))
    (example_suite.root / "mlp" / "huge.json").write_text("2E605")
    result = example_suite.run("-k", "mlp")
    assert result.returncode == 2, result.output
    assert f"{path}: golden_time_ms: number at line" in result.stdout, result.stdout
    assert "does not fit a double: 1e400" in result.stdout
    assert (f"{example_suite.root}/mlp/huge.json: number at line 1, column 1 does not fit a "
            "double: 2E605") in result.stdout
    assert "mlp/mlp_quality_cpu.json PASSED" in result.stdout, result.stdout
    assert (example_suite.summary_dir / "job_summary.md").is_file()
