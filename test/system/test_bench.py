"""The benchmark (scripts/vtz_bench.py) on the gate under test: its lines
parse, every figure is positive, and -icount makes two runs identical.
No thresholds: performance is reported by `make bench`, not tested."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT

LINE = re.compile(r"^bench (\S+) (\S+): (\d+) instructions")
GATE = os.path.basename(os.path.normpath(BUILD))


def bench_once():
    out = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_bench.py"),
         "--build-root", os.path.dirname(os.path.normpath(BUILD)), "--gate", GATE,
         "--no-native", "--no-doc", "--no-memory"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    figures = {}
    for line in out.stdout.splitlines():
        m = LINE.match(line)
        if m:
            figures[(m.group(1), m.group(2))] = int(m.group(3))
    return figures, out.stdout


@pytest.fixture(scope="module")
def two_runs():
    if GATE not in ("ciee", "el3"):
        pytest.skip("VTZ_BUILD does not name a gate's build directory")
    return bench_once(), bench_once()


def test_every_figure_is_there_and_positive(two_runs):
    (figures, text), _ = two_runs
    want = [("loop-only", "vtz-" + GATE), ("trap-only", "vtz-" + GATE),
            ("null-call", "vtz-" + GATE), ("gate-only", "vtz-" + GATE),
            ("s2-map", "vtz-" + GATE), ("s2-map", "unchecked")]
    for key in want:
        assert key in figures, "no %s line in:\n%s" % (" ".join(key), text)
        assert figures[key] > 0, text
    # The conversion check: the guest's loop is 6 instructions.
    assert figures[("loop-only", "vtz-" + GATE)] == 6, text
    # A null call does the guest's loop plus a world switch into the TEE and back
    # (it never reaches the hypervisor, so it is not compared with trap-only).
    assert figures[("null-call", "vtz-" + GATE)] > figures[("loop-only", "vtz-" + GATE)] + 100


def test_two_runs_are_identical(two_runs):
    (a, text_a), (b, text_b) = two_runs
    assert a == b, "run 1:\n%s\nrun 2:\n%s" % (text_a, text_b)
