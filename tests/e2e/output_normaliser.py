"""Turns a run's reports into text that is the same on every machine and every
run: what depends on the clock, the host, the paths or the measurement is
replaced by a <placeholder>; everything else is kept byte for byte (table
padding and column widths included)."""

import re

# Tests whose measured values change from run to run (benchmark times) or from
# machine to machine: a module's binary size follows the length of the path it
# is compiled from (locations are embedded) and, for
# --iree-llvmcpu-target-cpu=host, the CPU's features.
MEASURED_TIMES = {"mlp/mlp_benchmark_cpu.json", "multi_module/multi_module_benchmark_cpu.json"}
HOST_SIZES = {"mlp/mlp_compstat_cpu.json", "mlp/mlp_compstat_gfx942.json",
              "mlp/mlp_compstat_sm80.json"}

DECIMAL = r"-?\d+\.\d+(?:e[-+]?\d+)?"
NUMBER = r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?"


def normalise(text, kind, paths):
    """`kind` is the file's name (console.txt, junit.xml, ...); `paths` maps a
    placeholder to the absolute paths it stands for (longest first wins)."""
    pairs = [(value, placeholder) for placeholder, values in paths.items() for value in values]
    for value, placeholder in sorted(pairs, key=lambda pair: len(pair[0]), reverse=True):
        text = text.replace(value, placeholder)
    # Module cache keys depend on the compiler's version.
    text = re.sub(r"((?:modules|repro)/[^/\s\"]+/)[0-9a-f]{16}", r"\1<key>", text)
    rules = {
        "console.txt": _console,
        "job_summary.md": _markdown_tables,
        "job_summary.json": _summary_json,
        "junit.xml": _junit,
        "report.html": _html,
        "results.json": _results_json,
    }
    return rules[kind](text)


def _console(text):
    # The binary run in place of a pip console script ("-> <path>") is the
    # venv's own: its path depends on the machine's Python.
    text = re.sub(r"^(iree-[a-z-]+: \S+)(?: -> \S+)? \(.*\)$", r"\1 (<version>)", text,
                  flags=re.M)
    text = re.sub(r"(\[\s*\d+%\]) \(\d+\.\d+s\)", r"\1 (<s>)", text)
    # The closing rule is centred: its padding follows the duration's length.
    text = re.sub(r"^=+ (.* in )\d+\.\d+s =+$", r"== \1<s> ==", text, flags=re.M)
    text = re.sub(r"^=+ (slowest .*) =+$", r"== \1 ==", text, flags=re.M)
    lines = []
    for line in text.split("\n"):
        test = line.split(" ", 1)[0]
        if test in MEASURED_TIMES:
            line = re.sub(r"\d+\.\d+ ms", "<ms> ms", line)
            line = re.sub(r"cv \d+\.\d+%", "cv <cv>%", line)
            line = re.sub(r"golden_time_ms \d+\.\d+", "golden_time_ms <ms>", line)
        if test in HOST_SIZES:
            line = re.sub(r"\d+ bytes", "<bytes> bytes", line)
        lines.append(line)
    return _markdown_tables("\n".join(lines))


def _replace_cell(line, index, placeholder):
    """Replaces cell `index` of a `| a | b |` row by a right-aligned placeholder
    of the same width, so the rest of the row keeps its bytes."""
    cells = line.split("|")
    width = len(cells[index + 1])
    cells[index + 1] = " " + placeholder.rjust(width - 2) + " "
    return "|".join(cells)


def _markdown_tables(text):
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.startswith("| "):
            continue
        name = line.split("|")[1].strip()
        if name in MEASURED_TIMES:
            lines[i] = _replace_cell(line, 1, "<ms>")
        elif name in HOST_SIZES:
            lines[i] = _replace_cell(line, 4, "<bytes>")
    return "\n".join(lines)


def _summary_json(text):
    """Rows are arrays with one element per line: the current time is the
    second element of a benchmark row, the current binary size the fifth of a
    compstat row."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        name = line.strip().rstrip(",").strip('"')
        if name in MEASURED_TIMES:
            lines[i + 1] = re.sub(r'"[^"]*"', '"<ms>"', lines[i + 1])
        elif name in HOST_SIZES:
            lines[i + 4] = re.sub(r"\d+", "<bytes>", lines[i + 4])
    return "\n".join(lines)


def _junit(text):
    text = re.sub(r'time="[\d.]+"', 'time="<s>"', text)
    text = re.sub(r'timestamp="[^"]*"', 'timestamp="<timestamp>"', text)
    return re.sub(r'hostname="[^"]*"', 'hostname="<host>"', text)


VALUE_LABEL = re.compile(r'<text class="(?:inbar halo-(?:ok|bad)|halo-track)" x="[^"]*"')


def _html(text):
    text = re.sub(r"total time: <b>[\d.]+ s</b>", "total time: <b><s> s</b>", text)
    # The history trend labels its runs by time and compiler commit.
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<timestamp>", text)
    text = re.sub(r"(<title><timestamp> )[0-9a-f]*", r"\1<commit>", text)
    text = re.sub(r"started: <b>[^<]*</b>", "started: <b><timestamp></b>", text)
    text = re.sub(r'<td class="num">[\d.]+ s</td>', '<td class="num"><s> s</td>', text)
    # The slowest-first rank follows the timings too.
    text = re.sub(r"--by-duration:\d+;", "--by-duration:<rank>;", text)
    lines = []
    for line in text.split("\n"):
        match = re.search(r'data-test="([^"]+)"', line)
        if match and match.group(1) in MEASURED_TIMES | HOST_SIZES:
            # The chart's geometry and labels follow the measured values.
            line = re.sub(DECIMAL, "<n>", line)
            line = re.sub(r"\d+ bytes", "<bytes> bytes", line)
            # The value's label sits inside the bar or beside it, by the bar's length.
            line = VALUE_LABEL.sub('<text class="<value-label>" x="<n>"', line)
        lines.append(line)
    return "\n".join(lines)


def _results_json(text):
    text = re.sub(r'("version": )"[^"]*"', r'\1"<version>"', text)
    text = re.sub(r'("duration_s": )' + NUMBER, r'\1"<s>"', text)
    text = re.sub(r'("load_average": )\[[^\]]*\]', r'\1"<load>"', text)
    # A run's identity is random; the CI variables are the environment's.
    text = re.sub(r'("ci": )\{[^}]*\}', r'\1"<ci>"', text)
    for key in ("host_name", "cpu_model", "start_time", "run_id"):
        text = re.sub(rf'("{key}": )"[^"]*"', rf'\1"<{key}>"', text)
    text = re.sub(r'("core_count": )\d+', r'\1"<core_count>"', text)
    # Entries are split at their "id" line; measured fields of the volatile ones go.
    parts = re.split(r'(?=\n {6}"id": )', text)
    for i, part in enumerate(parts):
        match = re.match(r'\n {6}"id": "([^"]+)"', part)
        if not match:
            continue
        if match.group(1) in MEASURED_TIMES:
            part = re.sub(r'("(?:min|median|mean|stddev|cv)": )' + NUMBER, r'\1"<ms>"', part)
            part = re.sub(r'"(samples|attempts_ms)": \[[^\]]*\]',
                          lambda m: re.sub(NUMBER, '"<ms>"', m.group(0)), part)
        if match.group(1) in HOST_SIZES:
            part = re.sub(r'("binary_size": )\d+', r'\1"<bytes>"', part)
        parts[i] = part
    return "".join(parts)
