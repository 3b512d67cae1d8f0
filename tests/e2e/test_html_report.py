"""--html writes one self-contained page that a real headless browser renders,
with a chart per benchmark and per compstat test, on a phone-sized screen."""

import re
import shutil
import subprocess

import pytest

from conftest import run_binary


def _chromium():
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs Debian's chromium)")
    return path


def _headless(chromium, *args):
    # --no-sandbox: CI containers run as root; --disable-gpu: no display.
    return subprocess.run(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-extensions", *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


@pytest.fixture
def html_report(example_suite, binary):
    if "--html" not in run_binary([binary, "--help"]).output:
        pytest.skip("iree-suite has no --html flag yet")
    report = example_suite.tmp / "report.html"
    result = example_suite.run(f"--html={report}")
    assert result.returncode == 0, result.output
    assert report.is_file(), result.output
    return report


def test_html_report_is_self_contained(html_report):
    html = html_report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert 'name="viewport"' in html
    assert "prefers-color-scheme" in html
    # Nothing to fetch: no scripts, stylesheets, images or links to elsewhere.
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*[a-z]+:""", html, re.IGNORECASE)
    assert "<script" not in html
    assert "<link" not in html


def test_html_report_renders_charts_in_a_browser(html_report):
    chromium = _chromium()
    dom = _headless(chromium, "--dump-dom", html_report.as_uri())
    assert dom.returncode == 0, dom.stderr
    benchmark_charts = re.findall(r'<svg class="chart benchmark-chart" data-test="([^"]*)"',
                                  dom.stdout)
    compstat_charts = re.findall(r'<svg class="chart compstat-chart" data-test="([^"]*)"',
                                 dom.stdout)
    assert len(benchmark_charts) == 2, dom.stdout
    assert len(compstat_charts) == 3, dom.stdout
    assert all(test_id.endswith(".json") for test_id in benchmark_charts + compstat_charts)
    assert '<section id="failures">' in dom.stdout
    assert "No failures." in dom.stdout

    # A phone-sized viewport, in light and in dark mode.
    for scheme in ("light", "dark"):
        screenshot = html_report.parent / f"report-{scheme}.png"
        # Blink's preferredColorScheme: 0 is dark, 1 is light.
        shot = _headless(chromium, f"--screenshot={screenshot}", "--window-size=390,844",
                         f"--blink-settings=preferredColorScheme={int(scheme == 'light')}",
                         html_report.as_uri())
        assert shot.returncode == 0, shot.stderr
        data = screenshot.read_bytes()
        assert len(data) > 1000
        assert data.startswith(b"\x89PNG\r\n\x1a\n")


def _probed(chromium, report, script, element_id):
    """Loads a copy of `report` with `script` at phone and desktop widths;
    yields (width, the JSON the script left in <pre id=element_id>)."""
    import json
    probe = report.with_name("probe.html")
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", script + "</body>"),
                     encoding="utf-8")
    for width, height in ((390, 844), (1280, 800)):
        dom = _headless(chromium, "--dump-dom", f"--window-size={width},{height}", probe.as_uri())
        assert dom.returncode == 0, dom.stderr
        found = re.search(rf'<pre id="{element_id}">(.*?)</pre>', dom.stdout)
        assert found, dom.stdout[-3000:]
        yield width, json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


# Injected into a copy of the report (which itself has no script): lists each
# pair of labels in one chart whose boxes, as the browser lays them out, overlap.
OVERLAP_PROBE = """<script>
const found = [];
for (const svg of document.querySelectorAll("svg.chart")) {
  const boxes = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim())
      .map(t => [t.textContent, t.getBoundingClientRect()]);
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (p.left < q.right - 0.5 && q.left < p.right - 0.5 && p.top < q.bottom - 0.5 &&
        q.top < p.bottom - 0.5) found.push(svg.dataset.test + ": " + a + " / " + b);
  }));
}
const out = document.createElement("pre");
out.id = "overlaps";
out.textContent = JSON.stringify({labels: document.querySelectorAll("svg.chart text").length,
                                  overlaps: found});
document.body.append(out);
</script>"""


def test_chart_labels_never_overlap_on_a_phone_or_a_desktop(example_suite):
    chromium = _chromium()
    # Golden and threshold equal (tolerance 1.0): their lines coincide in the trend.
    example_suite.edit("mlp/mlp_benchmark_cpu.json", golden_time_ms=0.001, tolerance_factor=1.0)
    report = example_suite.tmp / "report.html"
    result = example_suite.run(f"--html={report}", "-m", "benchmark")
    assert result.returncode == 1, result.output
    html = report.read_text(encoding="utf-8")
    # Wording a person reads at a glance, not "vs golden +2300.0%" / "headroom -2200.0%".
    assert re.search(r"\d+\.\d\u00d7 slower than golden \u00b7 \d+\.\d\u00d7 the threshold", html)
    assert "headroom" not in html and "vs golden" not in html
    for width, data in _probed(chromium, report, OVERLAP_PROBE, "overlaps"):
        assert data["labels"] > 10, data
        assert data["overlaps"] == [], (width, data["overlaps"])


FILTER_PROBE = """<script>
const visible = () => [...document.querySelectorAll("#results tbody tr")]
    .filter(tr => getComputedStyle(tr).display !== "none").length;
const counts = {all: visible()};
for (const id of ["filter-outcome-failed", "filter-outcome-passed"]) {
  document.getElementById(id).checked = true;
  counts[id] = visible();
}
document.getElementById("filter-outcome-all").checked = true;
document.getElementById("filter-kind-compstat").checked = true;
counts["filter-kind-compstat"] = visible();
// Each sort: the rows' places on the page, top to bottom, and whether each row stays intact.
document.getElementById("filter-kind-all").checked = true;
const header = document.querySelector("#results thead th");
const sorted = {};
for (const order of ["duration", "outcome", "name"]) {
  document.getElementById("sort-" + order).checked = true;
  const rows = [...document.querySelectorAll("#results tbody tr")].map(tr => ({
      top: tr.cells[0].getBoundingClientRect().top, id: tr.cells[0].textContent,
      failed: tr.classList.contains("row-failed"), seconds: parseFloat(tr.cells[3].textContent),
      intact: [...tr.cells].every(td => td.getBoundingClientRect().top === tr.cells[0]
                                                   .getBoundingClientRect().top)}));
  rows.sort((a, b) => a.top - b.top);
  sorted[order] = {ids: rows.map(r => r.id), seconds: rows.map(r => r.seconds),
                   failed: rows.map(r => r.failed), intact: rows.every(r => r.intact),
                   header_first: rows.every(r => header.getBoundingClientRect().top < r.top)};
}
document.getElementById("sort-run").checked = true;
// No copy button: each command is one element that a click selects whole.
const commands = [...document.querySelectorAll("pre.repro code")].map(code =>
    [getComputedStyle(code).userSelect, code.textContent.slice(0, 3)]);
const wide = [...document.querySelectorAll("pre.repro, pre.logs")]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1).length;
const out = document.createElement("pre");
out.id = "probe";
out.textContent = JSON.stringify({counts, wide, sorted, commands,
    links: [...document.querySelectorAll("pre.logs a")].map(a => a.href)});
document.body.append(out);
</script>"""


def test_results_filter_and_failure_details_in_a_browser(example_suite):
    chromium = _chromium()
    example_suite.edit("mlp/mlp_compstat_cpu.json", golden_binary_size=1)
    report = example_suite.tmp / "report.html"
    result = example_suite.run(f"--html={report}")
    assert result.returncode == 1, result.output
    for width, data in _probed(chromium, report, FILTER_PROBE, "probe"):
        # Filters by outcome and by kind (CSS only: the page has no script of its own).
        assert data["counts"] == {"all": 8, "filter-outcome-failed": 1,
                                  "filter-outcome-passed": 7, "filter-kind-compstat": 3}, data
        by = data["sorted"]
        assert all(by[o]["header_first"] and by[o]["intact"] for o in by), (width, by)
        seconds = by["duration"]["seconds"]
        assert len(seconds) == 8 and seconds == sorted(seconds, reverse=True), (width, by)
        assert by["outcome"]["failed"] == [True] + [False] * 7, (width, by)
        assert by["name"]["ids"] == sorted(by["name"]["ids"]), (width, by)
        assert data["commands"] and all(c == ["all", "cd "] for c in data["commands"]), data
        # The repro command wraps instead of running off a phone's screen.
        assert data["wide"] == 0, (width, data)
        # Log paths are links to the files.
        assert data["links"] and all(link.startswith("file:///") for link in data["links"]), data
        assert any(link.endswith("/compile.log") for link in data["links"]), data
