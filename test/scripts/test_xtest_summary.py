"""scripts/xtest_summary.py: xtest's final block, as adbg_run.c prints it,
becomes one line; partial, interleaved and failed runs are told apart."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "xtest_summary.py")
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import xtest_summary  # noqa: E402

SEP = "+-----------------------------------------------------"


def run_log(cases, failed=0, skipped=0, subtests=None, aborted=False):
    """The tail of an xtest run in adbg_run.c's words and plurals."""
    s = subtests if subtests is not None else cases * 10
    lines = [
        "Run test suite with level=0",
        "",
        "TEE test application started over default TEE instance",
        "######################################################",
        "#",
        "# regression",
        "#",
        "######################################################",
        "",
        "* regression_1001 Core self tests",
        "  regression_1001 OK",
        SEP,
        "Result of testsuite regression:",
        "regression_1001 OK",
    ]
    if failed:
        lines.append("regression_4006 FAILED first error at regression_4000.c:123")
    lines += [SEP]
    if aborted:
        lines.append("Test suite was ABORTED")
    lines += [
        "%d subtest%s of which %d failed" % (s, "s" if s != 1 else "", failed),
        "%d test case%s of which %d failed" % (cases, "s" if cases != 1 else "", failed),
        "%d test case%s skipped" % (skipped, "s were" if skipped != 1 else " was"),
        "TEE test application done!",
    ]
    return lines


def summarize(lines, prefix=None, home="vtz"):
    result, why = xtest_summary.parse(xtest_summary.lines_of(
        [l + "\n" for l in lines], prefix))
    return xtest_summary.summary(home, result, why)


def test_all_passed():
    assert summarize(run_log(160, skipped=2)) == ("xtest vtz: 160 test cases, 0 failed, 2 skipped", 0)


def test_failures_fail():
    assert summarize(run_log(160, failed=3), home="native") == (
        "xtest native: 160 test cases, 3 failed, 0 skipped", 1)


def test_singular_forms():
    # "1 subtest", "1 test case of which", "1 test case was skipped"
    assert summarize(run_log(1, skipped=1, subtests=1)) == (
        "xtest vtz: 1 test cases, 0 failed, 1 skipped", 0)


def test_aborted_suite_fails():
    assert summarize(run_log(12, aborted=True)) == (
        "xtest vtz: 12 test cases, 0 failed, 0 skipped, aborted", 1)


def test_console_line_ends_and_kernel_lines_between():
    lines = run_log(7)
    lines.insert(-3, "[   42.123456] optee: something from the kernel")
    crlf = [l + "\r" for l in lines]
    assert summarize(crlf) == ("xtest vtz: 7 test cases, 0 failed, 0 skipped", 0)


def test_two_vms_interleaved_on_one_console():
    vm0 = ["[vm0] " + l for l in run_log(100, failed=1)]
    vm1 = ["[vm1] " + l for l in run_log(90, skipped=5)]
    mixed = [l for pair in zip(vm0, vm1) for l in pair]
    assert summarize(mixed, prefix="[vm0]") == ("xtest vtz: 100 test cases, 1 failed, 0 skipped", 1)
    assert summarize(mixed, prefix="[vm1]") == ("xtest vtz: 90 test cases, 0 failed, 5 skipped", 0)


def test_last_complete_block_counts():
    lines = run_log(5, failed=5) + run_log(6)
    assert summarize(lines) == ("xtest vtz: 6 test cases, 0 failed, 0 skipped", 0)


@pytest.mark.parametrize("cut", [-2, -3, -4])
def test_unfinished_summary_is_no_result(cut):
    line, status = summarize(run_log(160)[:cut])
    assert status == 2
    assert line == "xtest vtz: no result (xtest's final summary not found)"


def test_summary_lines_out_of_order_are_no_result():
    lines = run_log(3)
    i = lines.index("3 test cases of which 0 failed")
    lines[i - 1], lines[i] = lines[i], lines[i - 1]
    assert summarize(lines)[1] == 2


def test_no_tee():
    lines = ["Run test suite with level=0", "",
             "TEE test application started over default TEE instance",
             "Failed to open TEE context: 0xffff0008"]
    assert summarize(lines) == (
        "xtest vtz: no result (xtest could not open a TEE context: 0xffff0008)", 2)


def test_command_line(tmp_path):
    log = tmp_path / "console.log"
    log.write_text("\n".join(["[vm0] " + l for l in run_log(4, failed=1)]) + "\n")
    p = subprocess.run([sys.executable, SCRIPT, "--home", "vtz", "--prefix", "[vm0]", str(log)],
                       capture_output=True, text=True)
    assert (p.stdout, p.returncode) == ("xtest vtz: 4 test cases, 1 failed, 0 skipped\n", 1)
    p = subprocess.run([sys.executable, SCRIPT, "--home", "native"], input="\n".join(run_log(4)),
                       capture_output=True, text=True)
    assert (p.stdout, p.returncode) == ("xtest native: 4 test cases, 0 failed, 0 skipped\n", 0)
