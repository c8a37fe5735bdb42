"""Shared helpers for the QEMU system tests."""
import os
import re
import sys

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The images of one gate variant (make system-test sets it).
BUILD = os.environ.get("VTZ_BUILD", os.path.join(ROOT, "build", "ciee"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)
sys.path.insert(0, os.path.join(ROOT, "scripts"))
# Which gate's images: GATE=el3 differs from GATE=ciee only in the vTZ
# monitor and the CIEE (memory mapping served at EL3). Tests of what no
# gate changes run once, in the ciee gate's run (make test's time budget).
GATE = os.path.basename(os.path.normpath(BUILD))
NATIVE_ONCE = pytest.mark.skipif(
    GATE == "el3", reason="native TrustZone (monitor-native: no CIEE, no hypervisor) is the "
    "same whatever GATE says; it is tested in the ciee gate's run")
# Behaviour that does not go through memory mapping (the hypervisor's own
# devices and lifecycle, the monitor's table and flash parsing): the same
# code under both gates, tested once.
GATE_INDEPENDENT = pytest.mark.skipif(
    GATE == "el3", reason="does not depend on where memory mapping is served (GATE): the same "
    "monitor and hypervisor code runs in the ciee gate's run, where it is tested")
# The owner's image-signing key the build signed with (mk/keys.mk: make
# system-test passes OWNER_KEY; by default the one the first build made).
OWNER_KEY = os.environ.get("VTZ_OWNER_KEY", os.path.join(os.path.dirname(BUILD), "owner-key.pem"))
if not os.path.isabs(OWNER_KEY):
    OWNER_KEY = os.path.join(ROOT, OWNER_KEY)


def run_to_end(scenario, timeout=60):
    """Boot a scenario through scripts/vtz_run.py, as `make run` does, reading
    its console with pexpect; return (exit status, list of output lines)."""
    child = pexpect.spawn(
        "/usr/bin/python3",
        [os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
         "--scenario", scenario, "--timeout", str(timeout)],
        cwd=ROOT, encoding="utf-8", codec_errors="replace", timeout=timeout + 30)
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    return child.exitstatus, [l.rstrip("\r") for l in out.split("\n") if l.strip()]


def find(lines, pattern):
    """Index of the first line matching the regex, or fail showing the output."""
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            return i
    pytest.fail("no line matches %r in:\n%s" % (pattern, "\n".join(lines)))
