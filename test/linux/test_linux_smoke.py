"""The real Linux guest (Debian's cloud kernel, busybox, libteec,
tee-supplicant, vtz-client) on PLAIN QEMU, without vTZ: there is no OP-TEE,
so the optee driver loads but finds no firmware node and vtz-client must
say so cleanly. Built by `make linux-guest`; run by `make linux-smoke`."""
import os
import re
import time

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("VTZ_BUILD_ROOT", os.path.join(ROOT, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)
LINUX = os.path.join(BUILD, "linux")
IMAGE = os.path.join(LINUX, "Image")
INITRAMFS = os.path.join(LINUX, "initramfs.cpio.gz")
TIMEOUT = 60

# Commands for /init (vtz.run=, ':' between words): a call to the missing
# TEE, and a bad command line, to check both exit codes.
RUN = "vtz-client:ping,vtz-client:no-such-command"


def find(lines, pattern):
    """Index of the first line matching the regex, or fail showing them all."""
    for i, line in enumerate(lines):
        if re.search(pattern, line):
            return i
    pytest.fail("no line matches %r in:\n%s" % (pattern, "\n".join(lines)))


@pytest.fixture(scope="module")
def console():
    """One boot for every test: (QEMU exit status, console lines, seconds
    from QEMU's start to the "vtz-linux: done" line)."""
    if not (os.path.exists(IMAGE) and os.path.exists(INITRAMFS)):
        pytest.skip("Linux guest not built (%s, %s missing): run `make linux-guest`"
                    % (IMAGE, INITRAMFS))
    # The command line mk/linux.mk's linux-run uses.
    args = ["-M", "virt,gic-version=3", "-cpu", "cortex-a57", "-smp", "2",
            "-m", "512M", "-nographic", "-nic", "none", "-no-reboot",
            "-kernel", IMAGE, "-initrd", INITRAMFS,
            "-append", "console=ttyAMA0 panic=-1 vtz.run=" + RUN]
    t0 = time.monotonic()
    child = pexpect.spawn("qemu-system-aarch64", args, encoding="utf-8",
                          codec_errors="replace", timeout=TIMEOUT)
    try:
        child.expect("vtz-linux: done")
        head = child.before + child.after
        done = time.monotonic() - t0
        child.expect(pexpect.EOF)
        tail = child.before
    except (pexpect.TIMEOUT, pexpect.EOF):
        out = child.before or ""
        child.close(force=True)
        pytest.fail("guest did not finish within %d s:\n%s" % (TIMEOUT, out))
    child.close()
    lines = [l.rstrip("\r") for l in (head + tail).split("\n") if l.strip()]
    print("boot to 'vtz-linux: done': %.2f s" % done)
    return child.exitstatus, lines, done


def test_kernel_reaches_our_init(console):
    _, lines, _ = console
    find(lines, r"Run /init as init process")
    find(lines, r"^\[linux\] init: kernel 6\.1\.\S+-cloud-arm64, 2 CPUs")


def test_tee_modules_load(console):
    _, lines, _ = console
    tee = find(lines, r"^\[linux\] insmod tee\.ko: ok$")
    optee = find(lines, r"^\[linux\] insmod optee\.ko: ok$")
    assert tee < optee
    assert not any("FAILED" in l for l in lines)
    assert not any(re.search(r"Oops|BUG:|Call trace|Unknown symbol|disagrees", l)
                   for l in lines)


def test_no_optee_on_plain_qemu(console):
    # No firmware/optee node in plain QEMU's DT: the driver does not probe.
    _, lines, _ = console
    find(lines, r"^\[linux\] /dev/tee0: absent$")
    find(lines, r"^\[linux\] /dev/teepriv0: absent$")
    find(lines, r"^\[linux\] tee-supplicant: not started \(no /dev/teepriv0\)$")


def test_client_reports_no_tee(console):
    _, lines, _ = console
    i = find(lines, r"^vtz-client: error: no TEE \(TEEC_InitializeContext: 0xffff0008 "
             r"TEEC_ERROR_ITEM_NOT_FOUND\): is the optee driver loaded\?$")
    j = find(lines, r"^\[linux\] run vtz-client ping: exit 3$")
    assert i < j
    find(lines, r"^usage: vtz-client COMMAND")
    find(lines, r"^\[linux\] run vtz-client no-such-command: exit 2$")


def test_powers_off_quickly(console):
    status, lines, done = console
    find(lines, r"^vtz-linux: done \(2 commands, 2 failed\)$")
    find(lines, r"reboot: Power down")
    assert status == 0
    assert done < TIMEOUT
