"""Collection and marker selection on IREE's real torch_models suite (read
from ../shared/corpus; skipped where that is absent)."""

import shutil

from conftest import run_binary

HIP_MI325 = [
    "llama_8b_fp16/decode_benchmark_seq128_mi325.json",
    "llama_8b_fp16/decode_benchmark_seq2048_mi325.json",
    "llama_8b_fp16/prefill_benchmark_seq128_mi325.json",
    "llama_8b_fp16/prefill_benchmark_seq2048_mi325.json",
    "llama_8b_fp8/decode_benchmark_seq128_mi325.json",
    "llama_8b_fp8/decode_benchmark_seq128_mi325_data_tiling.json",
    "llama_8b_fp8/decode_benchmark_seq2048_mi325.json",
    "llama_8b_fp8/decode_benchmark_seq2048_mi325_data_tiling.json",
    "llama_8b_fp8/prefill_benchmark_seq128_mi325.json",
    "llama_8b_fp8/prefill_benchmark_seq128_mi325_data_tiling.json",
    "llama_8b_fp8/prefill_benchmark_seq2048_mi325.json",
    "llama_8b_fp8/prefill_benchmark_seq2048_mi325_data_tiling.json",
    "sdxl/clip_benchmark_mi325.json",
    "sdxl/punet_benchmark_mi325.json",
    "sdxl/punet_benchmark_mi325_v2.json",
    "sdxl/vae_benchmark_mi325.json",
]
CPU = [
    "sdxl/clip_benchmark_cpu.json",
    "sdxl/clip_compstat_cpu.json",
    "sdxl/clip_quality_cpu.json",
    "sdxl/vae_quality_cpu.json",
]
GFX942_QUALITY = [
    "llama_8b_fp16/quality_gfx942.json",
    "sdxl/clip_quality_gfx942.json",
    "sdxl/punet_quality_gfx942.json",
    "sdxl/vae_quality_gfx942.json",
]


def collect(binary, suite, expression):
    result = run_binary([binary, f"--test-file-directory={suite}", f"--module-directory={suite}",
                         f"--external-file-directory={suite}", "--collect-only", "-m",
                         expression])
    ids = [line.split()[0] for line in result.stdout.splitlines() if line.endswith("]")]
    return result, ids


def test_torch_models_marker_selection(binary, corpus):
    suite = corpus / "iree-torch-models"
    for expression, expected in [
        ("hip and mi325", HIP_MI325),
        ("cpu", CPU),
        ("compstat and not gfx942", ["sdxl/clip_compstat_cpu.json"]),
        ("quality and gfx942", GFX942_QUALITY),
        ("punet and not (benchmark or compstat)", ["sdxl/punet_quality_gfx942.json"]),
    ]:
        result, ids = collect(binary, suite, expression)
        assert result.returncode == 0, result.output
        assert ids == expected, expression
        assert "0 collection errors" in result.stdout
    result, ids = collect(binary, suite, "")
    assert len(ids) == 31


def test_plugin_examples_collect(binary, corpus, tmp_path):
    # The plugin's examples name modules as "examples/modules/...": give them that layout.
    shutil.copytree(corpus / "pytest-iree-examples", tmp_path / "examples")
    result, ids = collect(binary, tmp_path / "examples", "")
    assert result.returncode == 2  # module paths are relative to the parent: errors expected
    result = run_binary([binary, f"--test-file-directory={tmp_path / 'examples'}",
                         f"--module-directory={tmp_path}", f"--external-file-directory={tmp_path}",
                         "--collect-only", "-m", "cpu and quick"])
    assert result.returncode == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines() if line.endswith("]")]
    assert ids == ["clip_cpu_benchmark.json", "clip_cpu_quality.json",
                   "clip_cpu_random_benchmark.json"]
