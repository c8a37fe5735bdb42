#!/usr/bin/python3
"""Reads the console output of a run of OP-TEE's xtest and prints one line:

    xtest HOME: T test cases, F failed, S skipped

HOME names where the TEE ran (e.g. vtz, native). The numbers are those of
xtest's own final block (optee_test's host/xtest/adbg/src/adbg_run.c,
ADBG_RunSuite), which follows its second separator line:

    +-----------------------------------------------------
    [Test suite was ABORTED]
    N subtest[s] of which F failed
    T test case[s] of which F failed
    S test case[s were | was] skipped

Its lines need not be adjacent (a kernel message may come between them on
a console); with several VMs on one console, --prefix '[vm0]' keeps only
the lines of that VM (and strips the prefix). Of several complete blocks
the last counts. With no complete block, the line says why, as far as the
output tells (e.g. xtest's "Failed to open TEE context: 0xffff0008").

Exit status: 0 when no test case failed, 1 when one did or the suite was
aborted (the line then ends with ", aborted"), 2 when there is no result.

usage: xtest_summary.py --home HOME [--prefix PREFIX] [LOG]   (LOG: default stdin)
"""
import argparse
import re
import sys

SEPARATOR = re.compile(r"^\+-{20,}$")
ABORTED = re.compile(r"^Test suite was ABORTED$")
SUBTESTS = re.compile(r"^(\d+) subtests? of which (\d+) failed$")
CASES = re.compile(r"^(\d+) test cases? of which (\d+) failed$")
SKIPPED = re.compile(r"^(\d+) test cases? (?:were|was) skipped$")
# Why xtest may stop before running anything (xtest_main.c).
NO_CONTEXT = re.compile(r"^Failed to open TEE context: (0x[0-9a-fA-F]+)$")
UNKNOWN_SUITE = re.compile(r"^Unknown test suite: (.*)$")


class Result:
    def __init__(self):
        self.subtests = self.subtests_failed = None
        self.cases = self.cases_failed = None
        self.skipped = None
        self.aborted = False

    def complete(self):
        return None not in (self.subtests, self.cases, self.skipped)


def lines_of(stream, prefix):
    """The lines xtest wrote: without line ends, without the console's
    carriage returns, and with --prefix only that prefix's lines, stripped."""
    for raw in stream:
        line = raw.rstrip("\r\n")
        if prefix is not None:
            if not line.startswith(prefix):
                continue
            line = line[len(prefix):]
        yield line.strip()


def parse(lines):
    """Returns (the last complete Result or None, why there is none)."""
    last, block, why = None, None, "xtest's final summary not found"
    for line in lines:
        if SEPARATOR.match(line):
            block = Result()
            continue
        m = NO_CONTEXT.match(line)
        if m:
            why = "xtest could not open a TEE context: %s" % m.group(1)
            continue
        m = UNKNOWN_SUITE.match(line)
        if m:
            why = "xtest does not know test suite %s" % m.group(1)
            continue
        if block is None:
            continue
        if ABORTED.match(line):
            block.aborted = True
        elif (m := SUBTESTS.match(line)) and block.subtests is None:
            block.subtests, block.subtests_failed = int(m.group(1)), int(m.group(2))
        elif (m := CASES.match(line)) and block.subtests is not None and block.cases is None:
            block.cases, block.cases_failed = int(m.group(1)), int(m.group(2))
        elif (m := SKIPPED.match(line)) and block.cases is not None and block.skipped is None:
            block.skipped = int(m.group(1))
            last, block = block, None
    return last, why


def summary(home, result, why):
    """The one line, and the exit status."""
    if result is None:
        return "xtest %s: no result (%s)" % (home, why), 2
    line = "xtest %s: %d test cases, %d failed, %d skipped" % (
        home, result.cases, result.cases_failed, result.skipped)
    if result.aborted:
        line += ", aborted"
    return line, 1 if result.cases_failed or result.aborted else 0


def main(argv):
    ap = argparse.ArgumentParser(description="One line from xtest's final summary.")
    ap.add_argument("--home", required=True, help="where the TEE ran, e.g. vtz or native")
    ap.add_argument("--prefix", help="keep only lines starting with this, e.g. '[vm0]'")
    ap.add_argument("log", nargs="?", help="xtest's output (default: stdin)")
    args = ap.parse_args(argv[1:])
    if args.log:
        with open(args.log, encoding="utf-8", errors="replace") as f:
            result, why = parse(lines_of(f, args.prefix))
    else:
        result, why = parse(lines_of(sys.stdin, args.prefix))
    line, status = summary(args.home, result, why)
    print(line)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
