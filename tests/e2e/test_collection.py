"""Bad test and module definitions are collection errors naming file and
field; the other tests still collect and run; the exit code says so."""

import json
import re


def collection_errors(output):
    return [line for line in output.splitlines() if line.startswith("ERROR collecting ")]


def test_each_schema_error_names_file_field_and_expectation(example_suite):
    root = example_suite.root
    bad = root / "bad"
    bad.mkdir()
    (bad / "syntax.json").write_text('{\n  "type": "quality",\n  "markers": [,]\n}\n')
    (bad / "missing_markers.json").write_text(json.dumps(
        {"type": "quality", "modules": ["examples/modules/mlp_cpu"]}))
    (bad / "wrong_type.json").write_text(json.dumps(
        {"type": "benchmark", "markers": "cpu", "modules": ["examples/modules/mlp_cpu"],
         "golden_time_ms": "fast"}))
    (bad / "unknown_type.json").write_text(json.dumps({"type": "speed", "markers": []}))
    (bad / "unknown_weight.json").write_text(json.dumps(
        {"type": "quality", "markers": [], "modules": ["examples/modules/mlp_cpu"],
         "weights": [{"type": "magic", "scope": "model"}]}))
    (bad / "no_module.json").write_text(json.dumps(
        {"type": "compstat", "markers": [], "module": "examples/modules/does_not_exist"}))
    (bad / "empty_argspec.json").write_text(json.dumps(
        {"type": "quality", "markers": [], "modules": ["examples/modules/mlp_cpu"], "inputs": [{}]}))
    (root / "modules/broken.json").write_text(json.dumps({"mlir": 3}))
    (bad / "broken_module.json").write_text(json.dumps(
        {"type": "compstat", "markers": [], "module": "examples/modules/broken"}))

    result = example_suite.run("-m", "quick")
    errors = collection_errors(result.stdout)
    text = "\n".join(errors)
    assert f"{bad}/syntax.json: invalid JSON at line 3, column 15:" in text
    assert f"{bad}/missing_markers.json: markers: missing required field; expected an array of " \
           "strings" in text
    assert f"{bad}/wrong_type.json: markers: expected an array of strings, got a string" in text
    assert f"{bad}/wrong_type.json: golden_time_ms: expected a number, got a string" in text
    assert f'{bad}/unknown_type.json: type: unknown test type "speed"; expected one of ' \
           '"quality", "benchmark", "compstat"' in text
    assert f'{bad}/unknown_weight.json: weights[0].type: unknown weight type "magic"' in text
    assert f'{bad}/no_module.json: module: module "examples/modules/does_not_exist" not found: ' \
           f'{root}/modules/does_not_exist.json does not exist' in text
    assert f'{bad}/empty_argspec.json: inputs[0]: expected at least one of "url" and "value"' \
        in text
    assert f"{root}/modules/broken.json: mlir: expected a string, got a number" in text
    assert f"{root}/modules/broken.json: compiler_flags: missing required field" in text
    # The valid tests still ran and passed; the exit code reports the errors.
    assert "mlp/mlp_quality_cpu.json PASSED" in result.stdout
    assert re.search(r"=+ 3 passed, 5 deselected, \d+ errors in", result.stdout), result.stdout
    assert result.returncode == 2


def test_file_without_type_is_not_a_test(example_suite):
    (example_suite.root / "notes.json").write_text(json.dumps({"comment": "data, not a test"}))
    result = example_suite.run("--collect-only")
    assert result.returncode == 0, result.output
    assert "notes.json" not in result.stdout


def test_unknown_field_is_a_warning_and_the_test_still_runs(example_suite):
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_dispatch=3)
    result = example_suite.run("-k", "mlp_compstat_cpu")
    assert result.returncode == 0, result.output
    assert re.search(r"^WARNING \S+/mlp_compstat_cpu\.json: golden_dispatch: unknown field for a "
                     r'compstat test, ignored \(did you mean "golden_dispatch_count"\?\)$',
                     result.stdout, re.M), result.stdout
