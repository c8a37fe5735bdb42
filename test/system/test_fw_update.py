"""Signed firmware update (docs/security.md, "Firmware update"). The
machine boots its CIEE and hypervisor from a slot of flash0, backed by a
file under the build directory that keeps what the monitor writes across
runs. The hypervisor carries a bundle to the monitor (vtz_run.py
--fw-bundle); the monitor verifies it in flash0 and only then makes its
slot active, with the anti-rollback counter raised. Each refusal (another
key, a forged signature, a tampered byte, a lower version), a power cut in
the middle of the slot write and a torn metadata write must leave the old
firmware booting, with a message."""
import concurrent.futures
import os
import shlex
import struct
import subprocess

import pexpect
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import BUILD, OWNER_KEY, ROOT, find, GATE_INDEPENDENT
import vtz_fwbundle  # scripts/, on the path through conftest
import vtz_run
import vtz_sign

SIZE_OFFSET = 0x28  # CIEE_LOAD_SIZE_OFFSET, HYP_HDR_LOAD_SIZE_OFFSET
RUN = [os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD, "--scenario", "firmware"]
WORK = os.path.join(BUILD, "fw-test")


def unsigned(name):
    with open(os.path.join(BUILD, name + ".unsigned.bin"), "rb") as f:
        return f.read()


def make_bundle(version, key=None, sig_key=None):
    """A bundle of this build's CIEE and hypervisor signed as `version` (by
    the owner unless key; sig_key: a signature by another key)."""
    key = key or vtz_sign.load_key(OWNER_KEY)
    return vtz_fwbundle.bundle(
        *(vtz_sign.sign(unsigned(n), key, SIZE_OFFSET, version, sig_key) for n in ("ciee", "hyp")))


def write(name, data):
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def fresh_flash(name):
    """A new flash file: this build's images (version 1) in slot A, as a
    first run with --flash-file makes it."""
    path = os.path.join(WORK, name)
    if os.path.exists(path):
        os.remove(path)
    return vtz_run.fw_flash_file(BUILD, path)


def boot(flash, *extra):
    """One run on that flash file; its exit status and console lines."""
    p = subprocess.run(["/usr/bin/python3"] + RUN + ["--flash-file", flash] + list(extra),
                       cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=120)
    return p.returncode, [l for l in (p.stdout + p.stderr).split("\n") if l.strip()]


def deliver(flash, bundle, *extra):
    return boot(flash, "--fw-bundle", write(os.path.basename(flash) + ".bundle", bundle), *extra)


def metadata(flash):
    """[(seq, slot, counter) or None] for both metadata copies."""
    with open(flash, "rb") as f:
        img = f.read()
    return [vtz_fwbundle.parse_meta(img[o:o + 32]) for o in vtz_fwbundle.META]


def assert_boots(flash, slot, version):
    status, lines = boot(flash)
    find(lines, r"\[mon\] firmware: slot %s, security version %d " % (slot, version))
    find(lines, r"\[mon\] hypervisor image verified: .* security version %d," % version)
    assert status == 0, "\n".join(lines)
    return lines


def test_update_then_rollback_refused():
    """v2 is accepted and boots from the next run; v1 afterwards is a
    rollback: refused, the counter stays 2, v2 still boots. The
    hypervisor scribbles over each page after the monitor took it: the
    monitor programs its own copy, so nothing changes."""
    flash = fresh_flash("update.img")
    status, lines = deliver(flash, make_bundle(2), "--fw-scribble")
    find(lines, r"\[mon\] firmware: slot A, security version 1 ")
    find(lines, r"\[mon\] firmware update: slot B committed: security version 2 "
                r"\(anti-rollback counter 1 -> 2\)")
    assert status == 0, "\n".join(lines)
    assert metadata(flash)[1] == (2, 1, 2)
    assert_boots(flash, "B", 2)

    status, lines = deliver(flash, make_bundle(1))
    find(lines, r"firmware update refused: rollback: its security version is below the "
                r"anti-rollback counter \(error -34\); slot B stays active")
    find(lines, r"\[hyp\] firmware update: COMMIT refused by the monitor \(-34, 2\)")
    assert metadata(flash)[1] == (2, 1, 2), "the counter or the active slot changed"
    assert_boots(flash, "B", 2)


REFUSALS = {
    # The hypervisor (or anyone) delivers a bundle the owner did not sign;
    # forged-signature: the owner's key in PUBKEY, another key's signature.
    "other-key": (lambda: make_bundle(2, key=ec.generate_private_key(ec.SECP256R1())),
                  r"signed by another key than the owner's \(error -31\)"),
    "forged-signature": (lambda: make_bundle(2, sig_key=ec.generate_private_key(ec.SECP256R1())),
                         r"an image's signature does not verify \(error -32\)"),
    "tampered-byte": (lambda: tampered(make_bundle(2)),
                      r"an image was altered after signing \(error -30\)"),
}


def tampered(bundle):
    """One bit of the hypervisor's text flipped."""
    data = bytearray(bundle)
    hyp_off = struct.unpack_from("<I", data, 20)[0]
    data[hyp_off + 0x400] ^= 1
    return bytes(data)


def refused(case):
    make, message = REFUSALS[case]
    flash = fresh_flash("refused-%s.img" % case)
    status, lines = deliver(flash, make())
    find(lines, r"\[mon\] firmware update refused: " + message + r"; slot A stays active")
    find(lines, r"\[hyp\] firmware update: COMMIT refused by the monitor")
    assert metadata(flash) == [(1, 0, 1), None]
    assert status == 0, "\n".join(lines)
    return flash


@GATE_INDEPENDENT
def test_bad_bundles_refused():
    """Each bad bundle delivered (the three runs in parallel) is refused at
    COMMIT with its own reason, the metadata untouched; the old slot
    boots."""
    with concurrent.futures.ThreadPoolExecutor(len(REFUSALS)) as pool:
        flashes = dict(zip(sorted(REFUSALS), pool.map(refused, sorted(REFUSALS))))
    assert_boots(flashes["tampered-byte"], "A", 1)


@GATE_INDEPENDENT
def test_power_cut_mid_write():
    """QEMU killed while the slot is half written (the hypervisor stops
    after 64 KiB and the test pulls the plug): the old slot boots."""
    flash = fresh_flash("torn-slot.img")
    cmd = subprocess.run(["/usr/bin/python3"] + RUN + [
        "--flash-file", flash, "--fw-bundle", write("torn.bundle", make_bundle(2)),
        "--fw-stop-at", "0x10000", "--print-command"], cwd=ROOT, capture_output=True,
        text=True, check=True).stdout.strip()
    argv = shlex.split(cmd)
    child = pexpect.spawn(argv[0], argv[1:], cwd=ROOT, encoding="utf-8",
                          codec_errors="replace", timeout=60)
    child.expect(r"slot B holds 0x10000 of ")
    child.expect(r"firmware update: power cut after 0x10000 bytes")
    child.kill(9)
    child.close(force=True)
    assert metadata(flash) == [(1, 0, 1), None]
    assert_boots(flash, "A", 1)


def crafted(name, meta1, slot_b):
    """A flash file as a run of this build makes it, with slot B's bytes
    and metadata copy 1 replaced."""
    flash = fresh_flash(name)
    with open(flash, "r+b") as f:
        f.seek(vtz_fwbundle.SLOTS[1])
        f.write(slot_b)
        f.seek(vtz_fwbundle.META[1])
        f.write(meta1)
    return flash


@GATE_INDEPENDENT
def test_torn_metadata_write():
    """The new record names slot B, but the power went before its last
    bytes (the CRC) were written: the old record decides."""
    torn = vtz_fwbundle.meta(2, 1, 2)[:20] + b"\xff" * 12
    flash = crafted("torn-meta.img", torn, make_bundle(2))
    lines = assert_boots(flash, "A", 1)
    find(lines, r"\[mon\] firmware: metadata copy 1 ignored: checksum mismatch")


@GATE_INDEPENDENT
def test_bad_active_slot_falls_back():
    """A valid record names slot B, whose bytes no longer verify: slot B
    is refused at boot with its reason, and slot A (not below the counter)
    boots."""
    flash = crafted("bad-slot.img", vtz_fwbundle.meta(2, 1, 1), tampered(make_bundle(1)))
    lines = assert_boots(flash, "A", 1)
    find(lines, r"\[mon\] firmware: slot B refused: an image was altered after signing; "
                r"booting slot A")


LINUX = os.path.join(os.path.dirname(BUILD), "linux")


@GATE_INDEPENDENT
def test_linux_guest_delivers_update(tmp_path):
    """A Linux VM's program hands the bundle over (vtz-client fw-update
    through the VM's firmware mailbox); the next boot runs the new
    version. The bundle travels in a second archive appended to the
    guest's initramfs."""
    base = os.path.join(LINUX, "initramfs.cpio.gz")
    if not os.path.exists(base):
        pytest.skip("Linux guest not built: run `make linux-guest`")
    root = tmp_path / "root"
    (root / "fw").mkdir(parents=True)
    (root / "fw" / "bundle.bin").write_bytes(make_bundle(2))
    extra = tmp_path / "fw.cpio.gz"
    subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "mkinitramfs.py"),
                    "--root", str(root), "-o", str(extra)], check=True, capture_output=True)
    variant = write("initramfs-fw.cpio.gz", open(base, "rb").read() + extra.read_bytes())
    flash = fresh_flash("linux.img")
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"),
                        "--build", BUILD, "--scenario", "firmware-linux", "--flash-file", flash,
                        "--timeout", "120", "--file", "../linux/initramfs.cpio.gz=" + variant,
                        "--vm-run", "vtz-client:fw-update:/fw/bundle.bin"],
                       cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=240)
    lines = [l for l in (p.stdout + p.stderr).split("\n") if l.strip()]
    find(lines, r"\[vm0\] vtz-client: fw-update: ok: security version 2 committed to slot B")
    find(lines, r"\[mon\] firmware update: slot B committed: security version 2")
    assert p.returncode == 0, "\n".join(lines)
    assert_boots(flash, "B", 2)
