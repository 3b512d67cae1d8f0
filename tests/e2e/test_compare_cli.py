"""compare on the command line: a threshold as a percentage, a clear word for
a change the repetitions cannot settle, and how many repetitions would."""

import json

from conftest import run_binary


def results_file(path, samples):
    path.write_text(json.dumps({
        "schema": "iree-suite-results", "version": 1, "context": {},
        "tests": [{"id": "b.json", "type": "benchmark", "outcome": "passed",
                   "benchmark": {"unit": "ms", "samples": samples}}]}))
    return path


def test_threshold_as_percentage_and_not_significant_verdict(binary, tmp_path):
    # 2.3x slower minimum, but the three repetitions overlap (p 0.127).
    base = results_file(tmp_path / "base.json", [1.0, 3.0, 5.0])
    new = results_file(tmp_path / "new.json", [2.3, 4.0, 6.0])
    result = run_binary([binary, "compare", base, new, "--threshold", "30%"])
    assert result.returncode == 0, result.output
    assert "not significant (n=3)" in result.stdout
    assert "b.json: a change this size needs about" in result.stdout
    assert "repetitions on each side to be told from noise" in result.stdout
    as_fraction = run_binary([binary, "compare", base, new, "--threshold", "0.3"])
    assert as_fraction.stdout == result.stdout
    # Beyond the threshold (2.3 > 1 + 30%) yet 1000% is not: no verdict at all.
    wide = run_binary([binary, "compare", base, new, "--threshold=1000%"])
    assert wide.returncode == 0, wide.output
    assert "b.json" in wide.stdout, wide.stdout
    assert "not significant" not in wide.stdout and "needs about" not in wide.stdout


def test_bad_threshold_is_one_short_line(binary, tmp_path):
    base = results_file(tmp_path / "base.json", [1.0])
    result = run_binary([binary, "compare", base, base, "--threshold", "-30%"])
    assert result.returncode == 4, result.output
    assert "expected a fraction such as 0.05 or a percentage such as 5%" in result.output
    assert len(result.output) < 300, result.output
