"""Sharding splits the selection deterministically: the shards' union is the
suite, with no overlap, the same on every run; CI variables select a shard."""

import os


def collected(result):
    return [line.split()[0] for line in result.stdout.splitlines() if line.endswith("]")]


def test_shards_partition_the_selection(example_suite):
    everything = collected(example_suite.run("--collect-only"))
    assert len(everything) == 8
    for count in (2, 3, 5):
        shards = []
        for index in range(count):
            result = example_suite.run("--collect-only", f"--shard-count={count}",
                                       f"--shard-index={index}")
            assert result.returncode == 0, result.output
            shards.append(collected(result))
            again = example_suite.run("--collect-only", f"--shard-count={count}",
                                      f"--shard-index={index}")
            assert collected(again) == shards[-1]  # stable
        union = [test for shard in shards for test in shard]
        assert sorted(union) == sorted(everything)  # complete and disjoint


def test_shard_from_ci_environment(example_suite):
    env = dict(os.environ, CI_NODE_INDEX="2", CI_NODE_TOTAL="2")
    result = example_suite.run("--collect-only", env=env)
    assert result.returncode == 0, result.output
    assert "shard 1 of 2 ($CI_NODE_INDEX/$CI_NODE_TOTAL): 4 of 8 selected tests" in result.stdout
    bad = example_suite.run("--collect-only", "--shard-count=2", "--shard-index=2")
    assert bad.returncode == 4
    assert "shard index 2 is not below the shard count 2" in bad.stderr


def test_shards_running_at_once_compile_a_shared_module_once(example_suite):
    import json
    import subprocess

    # Both shards of "-m cpu" need mlp_cpu and the multi-module pair; started
    # together on one artifact directory, one compiles and the other waits.
    processes = []
    for index in range(2):
        trace = example_suite.tmp / f"trace{index}.json"
        argv = example_suite.argv("-m", "cpu", "--shard-count=2", f"--shard-index={index}",
                                  f"--trace={trace}")
        processes.append((subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           text=True), trace))
    compiles = []
    for process, trace in processes:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
        compiles += [e["name"] for e in json.loads(trace.read_text())["traceEvents"]
                     if e.get("cat") == "compile"]
    assert sorted(compiles) == ["examples/modules/activations_cpu", "examples/modules/mlp_cpu",
                                "examples/modules/pipeline_cpu",
                                "examples/modules/splat_affine_cpu"], compiles
