"""Measured boot (docs/security.md, "Measured boot"): one run of the default
scenario, its event log saved by the runner (--event-log) from the
hypervisor's copy, parsed by scripts/vtz_evlog.py and checked against
hashes computed here on the host from the very files the run loaded: the
monitor, the CIEE and the hypervisor (the digests their signatures cover),
the VM configuration as staged, and each VM's TEE image with its VM's
name. The log's replay must give the PCRs the monitor itself printed."""
import hashlib
import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT
import vtz_evlog  # scripts/, on the path through conftest
import vtz_sign

SIZE_OFFSET = 0x28


def sha256_file(path, n=None):
    with open(path, "rb") as f:
        data = f.read()
    return hashlib.sha256(data if n is None else data[:n]).digest()


def signed_digest(name):
    with open(os.path.join(BUILD, name), "rb") as f:
        data = f.read()
    return hashlib.sha256(data[:vtz_sign.parse(data, SIZE_OFFSET)[1]]).digest()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    log = str(tmp_path_factory.mktemp("evlog") / "event-log.bin")
    r = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
         "--timeout", "60", "--event-log", log],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
        timeout=120)
    lines = [l.rstrip("\r") for l in r.stdout.split("\n") if l.strip()]
    assert r.returncode == 0, "\n".join(lines)
    with open(log, "rb") as f:
        return lines, f.read()


def test_log_is_tcg_crypto_agile(run):
    _, data = run
    spec, events = vtz_evlog.parse(data)
    assert spec["version"] == "2.0" and spec["algorithms"] == [(0x000B, 32)]
    assert spec["uintn_size"] == 2
    assert len(events) == 10  # monitor, CIEE, hypervisor, config, 2 separators, 4 TEEs


def test_digests_match_the_images_on_the_host(run):
    lines, data = run
    _, ev = vtz_evlog.parse(data)
    booting = next(l for l in lines if l.startswith("[run] booting"))
    config = re.search(r"loader,file=([^,]+),addr=0x40a00000", booting)[1]
    sep = hashlib.sha256(b"\0" * 4).digest()
    want = [
        (0, 0x7, sha256_file(os.path.join(BUILD, "monitor.bin")), b"vTZ monitor\0"),
        (0, 0x1, signed_digest("ciee.bin"), b"vTZ CIEE\0"),
        (0, 0x1, signed_digest("hyp.bin"), b"vTZ hypervisor\0"),
        (1, 0x1, sha256_file(config), b"vTZ VM configuration\0"),
        (0, 0x4, sep, b"\0" * 4),
        (1, 0x4, sep, b"\0" * 4),
    ]
    tee = sha256_file(os.path.join(BUILD, "tee.bin"))
    want += [(2, 0x1, tee, b"vTZ TEE of VM vm%d\0" % i) for i in range(4)]
    # The TEEs boot in any order (two CPUs): compare them as a set.
    assert ev[:6] == want[:6]
    assert sorted(ev[6:]) == sorted(want[6:])


def test_replay_gives_the_monitors_pcrs(run):
    lines, data = run
    _, ev = vtz_evlog.parse(data)
    printed = {}
    for l in lines:
        m = re.match(r"^\[mon\] measured boot: PCR(\d) sha256 ([0-9a-f]{64})$", l)
        if m:
            printed[int(m[1])] = bytes.fromhex(m[2])
    assert printed and printed == vtz_evlog.replay(ev), "\n".join(lines)
    assert "[mon] measured boot: 10 events logged (%d bytes), 0 dropped" % len(data) in lines
    # The hex the hypervisor printed stays out of the console; its summary shows.
    assert not [l for l in lines if vtz_evlog.CONSOLE_LINE.match(l)]
    assert "[hyp] event log: %d bytes, 10 events, 0 dropped (TCG crypto-agile, from the " \
           "monitor)" % len(data) in lines
