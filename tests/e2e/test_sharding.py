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
