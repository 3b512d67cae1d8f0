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
