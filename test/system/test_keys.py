"""System tests: boot integrity and per-TEE keys (docs/security.md, "Boot
integrity", "A key per VM"). The monitor measures a TEE's image (natively
as it copies it from flash; under vTZ when the CIEE asks, before the TEE's
first entry) and derives the TEE's key from this build's device root key,
that measurement and the identity of the TEE's VM (its name, which the
CIEE recorded at VM_CREATE; natively none); the TEE turns its key into
tags (VTZ_SMC_TEE_KEY_TAG). Two VMs running the same image get different
tags, the same VM the same tag after its reboot and the machine's, another
image another tag, and every value must be what an independent HKDF over
the root key file gives."""
import hashlib
import hmac
import os
import re
import struct
import sys

import pytest

from conftest import BUILD, ROOT

import vtz_run

ROOT_KEY = os.path.join(os.path.dirname(BUILD), "device-root-key.bin")
KEY_OFFSET = 0xFE000            # ROOT_KEY_FLASH_OFFSET
KEY_MAGIC = b"vTZKEY01"
TEE_MAGIC = b"vTZTEEI1"          # TEE_IMAGE_MAGIC, at +8 of the image
KEY_INFO = b"vTZ TEE key"        # VTZ_TEE_KEY_INFO
INPUTS = (0x1234, 0x5678)
TAG_LINE = re.compile(r"^\[(vm\d+|ns)\] key tag (0x[0-9a-f]+): x0=(0x[0-9a-f]+) tag ([0-9a-f]{32})$")
MEASURED = re.compile(r"^\[mon\] TEE measured: sha256 ([0-9a-f]{64}) \((\d+) bytes at 0x[0-9a-f]+\)$")


def image(name):
    return open(os.path.join(BUILD, name), "rb").read()


def hkdf_expand(prk, info, length):
    """RFC 5869 HKDF-Expand with SHA-256, from Python's hmac: the oracle."""
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def hkdf(ikm, info, length, salt=b""):
    prk = hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()
    return hkdf_expand(prk, info, length)


IDENTITY_LEN = 16                # VTZ_VM_IDENTITY_LEN


def tee_key(tee_bin, vm=""):
    """A TEE's key: HKDF over the root key of its image's SHA-256 and its
    VM's name (natively, no VM: 16 zero bytes)."""
    identity = vm.encode().ljust(IDENTITY_LEN, b"\0")
    return hkdf(open(ROOT_KEY, "rb").read(),
                KEY_INFO + hashlib.sha256(tee_bin).digest() + identity, 32)


def expected_tag(tee_bin, x1, vm=""):
    """The tag the guest prints (x1 then x2 as 16 hex digits each) for a TEE
    in the VM of that name."""
    key = tee_key(tee_bin, vm)
    tag = hkdf_expand(key, struct.pack("<Q", x1), 16)
    lo, hi = struct.unpack("<QQ", tag)
    return "%016x%016x" % (lo, hi)


def swap(cmd, old, new):
    return [a.replace("/" + old, "/" + new) for a in cmd]


def boot(home, tee="tee.bin"):
    """Boot the key-tag guest with the given TEE image in one home."""
    if home == "vtz":
        cmd = vtz_run.qemu_command(BUILD, "default",
                                   files={"guest.bin": "guest-keys.bin", "tee.bin": tee})
    else:
        flash = {"tee.bin": "flash-native.bin", "tee-test.bin": "flash-native-tee-fault.bin"}
        cmd = swap(vtz_run.qemu_command(BUILD, "native"), "guest-native.bin",
                   "guest-native-keys.bin")
        cmd = swap(cmd, "flash-native.bin", flash[tee])
    return vtz_run.run(cmd, timeout=60, echo=False)


def tags(lines, who):
    """{input: tag} of one VM ("vm0") or of the native normal world ("ns")."""
    out = {}
    for line in lines:
        m = TAG_LINE.match(line)
        if m and m.group(1) == who:
            assert m.group(3) == "0x0", line
            x1 = int(m.group(2), 16)
            assert out.get(x1, m.group(4)) == m.group(4), "tag not stable: %s" % line
            out[x1] = m.group(4)
    assert sorted(out) == sorted(INPUTS), "\n".join(lines)
    return out


@pytest.fixture(scope="module")
def runs():
    r = {}
    for home in ("vtz", "native"):
        for tee in ("tee.bin", "tee-test.bin"):
            status, lines = boot(home, tee)
            assert status == 0, "\n".join(lines)
            r[home, tee] = lines
    return r


def test_root_key_is_made_once_per_build_and_packed_into_both_flashes():
    key = open(ROOT_KEY, "rb").read()
    assert len(key) == 32 and key != b"\0" * 32
    for flash in ("flash-vtz.bin", "flash-native.bin", "flash-native-tee-fault.bin"):
        data = image(flash)
        assert data[KEY_OFFSET:KEY_OFFSET + 8] == KEY_MAGIC, flash
        assert data[KEY_OFFSET + 8:KEY_OFFSET + 40] == key, flash
    # The monitor image itself never holds it; vTZ boots the flash image.
    assert key not in image("monitor.bin") and key not in image("monitor-native.bin")
    assert "-bios %s" % os.path.join(BUILD, "flash-vtz.bin") in " ".join(
        vtz_run.qemu_command(BUILD, "default"))


def test_tee_image_header_names_its_size():
    for name in ("tee.bin", "tee-test.bin"):
        data = image(name)
        magic, size = struct.unpack_from("<8sQ", data, 8)
        assert magic == TEE_MAGIC and size == len(data), name


def test_both_homes_measure_the_very_image(runs):
    for tee in ("tee.bin", "tee-test.bin"):
        want = hashlib.sha256(image(tee)).hexdigest()
        for home in ("vtz", "native"):
            got = [MEASURED.match(l).groups() for l in runs[home, tee] if MEASURED.match(l)]
            assert got, "\n".join(runs[home, tee])
            assert all(g == (want, str(len(image(tee)))) for g in got), (home, tee, got)
            print("[%s] %s measured: sha256 %s" % (home, tee, want))


def test_measured_before_the_tees_first_instruction(runs):
    # Under vTZ the TEE's console goes through the hypervisor's UART
    # emulation, in the same stream as the monitor's. (Natively the TEE has
    # its own UART, whose order against the monitor's is approximate; there
    # the monitor measures before it enters the TEE by construction.)
    lines = runs["vtz", "tee.bin"]
    i = [n for n, l in enumerate(lines) if MEASURED.match(l)][0]
    j = [n for n, l in enumerate(lines) if l.startswith("[tee0] ")][0]
    k = [n for n, l in enumerate(lines) if l.startswith("[hyp] tee0: guest TEE")][0]
    assert k < i < j, "\n".join(lines)
    native = [l for l in runs["native", "tee.bin"] if l.startswith("[mon] ")]
    assert MEASURED.match(native[2]) and native[3].startswith("[mon] TEE image:"), native


def test_same_image_another_vm_another_key(runs):
    """Four VMs, one TEE image: four keys, none of them the native one's.
    Two tenants running the same image no longer share a key."""
    lines = runs["vtz", "tee.bin"]
    per_vm = {vm: tags(lines, vm) for vm in ("vm0", "vm1", "vm2", "vm3")}
    native = tags(runs["native", "tee.bin"], "ns")
    for x1 in INPUTS:
        seen = [t[x1] for t in per_vm.values()] + [native[x1]]
        assert len(set(seen)) == len(seen), (x1, seen)
    print("key tags, tee.bin: %s, native %s" % (per_vm, native))


def test_tags_are_the_hkdf_of_root_key_measurement_and_vm(runs):
    for tee in ("tee.bin", "tee-test.bin"):
        got = tags(runs["native", tee], "ns")
        for x1 in INPUTS:
            assert got[x1] == expected_tag(image(tee), x1), (tee, x1)
        for vm in ("vm0", "vm1", "vm2", "vm3"):
            got = tags(runs["vtz", tee], vm)
            for x1 in INPUTS:
                assert got[x1] == expected_tag(image(tee), x1, vm), (tee, vm, x1)


def test_same_vm_same_key_after_its_reboot_and_the_machines(runs):
    """vm2 destroyed and created again from the management console (a
    new TEE, new pages, perhaps new ids): the same name, the same key. And
    another boot of the machine: the same tags again."""
    import pexpect

    cmd = [sys.executable, os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", BUILD,
           "--scenario", "default", "--console", "--timeout", "120"]
    p = pexpect.spawn(cmd[0], cmd[1:] + ["--file", "guest.bin=guest-keys.bin"],
                      encoding="utf-8", codec_errors="replace", timeout=90)
    p.expect(r"\[run\] booting")
    p.send("\x1dv")
    first, again = {}, {}
    while len(first) < len(INPUTS):
        p.expect(r"\[vm2\] key tag (0x[0-9a-f]+): x0=0x0 tag ([0-9a-f]{32})")
        first[int(p.match.group(1), 16)] = p.match.group(2)
    p.send("restart vm2\r")
    p.expect(r"vtz> restart vm2: (done|failed)")
    assert p.match.group(1) == "done", p.before
    while len(again) < len(INPUTS):
        p.expect(r"\[vm2\] key tag (0x[0-9a-f]+): x0=0x0 tag ([0-9a-f]{32})")
        again[int(p.match.group(1), 16)] = p.match.group(2)
    p.send("\x1d")
    p.expect(r"\[run\] ok: clean power-off")
    assert first == again == tags(runs["vtz", "tee.bin"], "vm2"), (first, again)


def test_another_image_gets_another_key(runs):
    a = tags(runs["vtz", "tee.bin"], "vm0")
    b = tags(runs["vtz", "tee-test.bin"], "vm0")
    # Natively too (no VM: its own identity, so its own tags).
    na, nb = tags(runs["native", "tee.bin"], "ns"), tags(runs["native", "tee-test.bin"], "ns")
    assert all(na[x1] != nb[x1] for x1 in INPUTS)
    for x1 in INPUTS:
        assert a[x1] != b[x1]
    assert a[INPUTS[0]] != a[INPUTS[1]]
    for t in list(a.values()) + list(b.values()):
        assert t != "0" * 32


def test_key_never_printed(runs):
    key = open(ROOT_KEY, "rb").read()
    for lines in runs.values():
        text = "\n".join(lines)
        assert key.hex() not in text
        for w in struct.unpack("<4Q", key):
            assert "%x" % w not in text


def test_flash_without_root_key_is_refused():
    cmd = vtz_run.qemu_command(BUILD, "default")
    cmd[cmd.index("-bios") + 1] = os.path.join(BUILD, "monitor.bin")
    status, lines = vtz_run.run(cmd, timeout=30, echo=False)
    assert status == 1, "\n".join(lines)
    assert ("[mon] FATAL: no device root key in secure flash at 0xfe000 (boot with -bios "
            "flash-vtz.bin, which `make images` builds)") in lines
    assert not [l for l in lines if l.startswith(("[ciee]", "[hyp]"))]


def test_tee_without_valid_header_is_not_booted(tmp_path):
    """The CIEE measures before the first entry; an image it cannot measure
    never runs. The loader names every image's size (the file's); our
    header must name the same, and here it names more."""
    for name in os.listdir(BUILD):
        if (name.endswith(".bin") and name != "tee.bin") or name == "vmcfg-check":
            os.symlink(os.path.join(BUILD, name), str(tmp_path / name))
    data = bytearray(image("tee.bin"))
    assert data[8:16] == TEE_MAGIC
    data[16:24] = struct.pack("<Q", len(data) + 4096)
    (tmp_path / "tee.bin").write_bytes(bytes(data))
    status, lines = vtz_run.run(vtz_run.qemu_command(str(tmp_path), "default"), timeout=30,
                                echo=False)
    assert [l for l in lines if re.match(r"^\[ciee\] TEE vm\d+ refused: its image could not "
                                         r"be measured", l)], "\n".join(lines)
    assert not [l for l in lines if l.startswith("[tee0] ")], "\n".join(lines)
    assert not [l for l in lines if MEASURED.match(l)]


def test_hypervisor_cannot_call_the_ciee_only_services():
    """The monitor's caller check is a pure function of the caller's EL2
    state and the SMC's address (monitor/ciee_auth.h), proven case by case
    by the host unit test test_ciee_auth (hypervisor mode, interrupts
    unmasked, EL1, AArch32, and CIEE mode at any address but the CIEE's
    call site are all refused). The attack suite's tee-key-from-hypervisor
    calls the service directly and through the CIEE's own smc."""
    src = open(os.path.join(ROOT, "monitor", "main.c")).read()
    assert re.search(r"ciee_caller_check\(read_sysreg\(spsr_el3\), read_sysreg\(sctlr_el2\),"
                     r"\s*read_sysreg\(elr_el3\), ciee_smc_site_ret\)", src)
    print("[keys] monitor refuses VTZ_SMC_MON_TEE_MEASURE/KEY (0xc2000101/2) with "
          "NOT_SUPPORTED unless SCTLR_EL2 == SCTLR_EL2_CIEE, EL2h, DAIF masked, and "
          "with VTZ_MON_ERR_CALL_SITE unless ELR_EL3 is the CIEE's call site + 4 "
          "(unit test test_ciee_auth)")
