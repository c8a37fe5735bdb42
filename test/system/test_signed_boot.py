"""Attack suite, signed boot images (docs/security.md, "Signed images"): the
monitor runs a CIEE and a hypervisor only if each is signed by the owner's
key (scripts/vtz_sign.py, the hash of that key in flash-vtz.bin). Each
attack boots the default scenario with one modified image; the monitor
must stop before anything of it runs, naming the image and why. The boots
run in parallel and stop at once (well under a second each)."""
import concurrent.futures
import hashlib
import os
import struct
import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import BUILD, ROOT
import vtz_sign  # scripts/, on the path through conftest

SIZE_OFFSET = 0x28  # CIEE_LOAD_SIZE_OFFSET, HYP_HDR_LOAD_SIZE_OFFSET
NAMES = {"ciee.bin": "CIEE", "hyp.bin": "hypervisor"}
LINKS = ("flash-vtz.bin", "ciee.bin", "hyp.bin", "tee.bin", "guest.bin", "vmcfg-check")


def read(name):
    with open(os.path.join(BUILD, name), "rb") as f:
        return f.read()


def tampered_byte(name):
    """One bit of the image's text flipped (past its header)."""
    data = bytearray(read(name))
    data[0x400] ^= 0x01
    return bytes(data)


def other_key(name):
    """Re-signed, correctly, by a key that is not the owner's."""
    unsigned = read(name.replace(".bin", ".unsigned.bin"))
    return vtz_sign.sign(unsigned, ec.generate_private_key(ec.SECP256R1()), SIZE_OFFSET)


def forged_signature(name):
    """The owner's key in PUBKEY, but the signature made by another key."""
    owner_key = vtz_sign.parse(read(name), SIZE_OFFSET)[3][vtz_sign.TLV_PUBKEY]
    rogue = ec.generate_private_key(ec.SECP256R1())
    forged = vtz_sign.sign(read(name.replace(".bin", ".unsigned.bin")), rogue, SIZE_OFFSET)
    f_unprot = vtz_sign.parse(forged, SIZE_OFFSET)[3]
    # Put the owner's key where the rogue key was; the rogue signature stays.
    key_at = forged.index(f_unprot[vtz_sign.TLV_PUBKEY])
    return forged[:key_at] + owner_key + forged[key_at + vtz_sign.PUBKEY_LEN:]


def missing_trailer(name):
    """The image as linked, never signed."""
    return read(name.replace(".bin", ".unsigned.bin"))


def truncated_tlv(name):
    """The signature TLV says one byte more than its area holds."""
    data = bytearray(read(name))
    sig = vtz_sign.parse(bytes(data), SIZE_OFFSET)[3][vtz_sign.TLV_ECDSA_SIG]
    at = bytes(data).index(sig) - 2
    struct.pack_into("<H", data, at, len(sig) + 1)
    return bytes(data)


# attack -> (image it modifies, how, what the monitor must say after "<NAME> image refused: ")
ATTACKS = {
    "tampered-ciee-byte": ("ciee.bin", tampered_byte, "its SHA-256 does not match the digest in "
                           "its trailer (an image byte or its security counter was altered "
                           "after signing)"),
    "tampered-hyp-byte": ("hyp.bin", tampered_byte, "its SHA-256 does not match the digest in "
                          "its trailer (an image byte or its security counter was altered "
                          "after signing)"),
    "hyp-signed-by-other-key": ("hyp.bin", other_key, "signed by another key"),
    "ciee-signed-by-other-key": ("ciee.bin", other_key, "signed by another key"),
    "hyp-forged-signature": ("hyp.bin", forged_signature,
                             "its ECDSA-P256 signature does not verify"),
    "ciee-missing-trailer": ("ciee.bin", missing_trailer, "its signature trailer after"),
    "hyp-missing-trailer": ("hyp.bin", missing_trailer, "its signature trailer after"),
    "hyp-truncated-tlv": ("hyp.bin", truncated_tlv, "its signature trailer after"),
}
# The parser's reason for the trailer refusals (policy/signed_image.c).
REASON = {
    "ciee-missing-trailer": "no signature trailer after the image (unsigned image?) (error -2)",
    "hyp-missing-trailer": "no signature trailer after the image (unsigned image?) (error -2)",
    "hyp-truncated-tlv": "a TLV runs past the end of its area (truncated) (error -6)",
}


def boot(build, hyp="hyp.bin", timeout=30):
    r = subprocess.run(
        ["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"), "--build", build,
         "--hyp", hyp, "--timeout", str(timeout)],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        errors="replace", timeout=timeout + 30)
    return r.returncode, [l.rstrip("\r") for l in r.stdout.split("\n") if l.strip()]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every attack booted in parallel, each from a directory of its own
    holding the build's images with one of them replaced."""
    def one(attack):
        image, how, _ = ATTACKS[attack]
        d = tmp_path_factory.mktemp(attack)
        for name in LINKS:
            if name != image:
                os.symlink(os.path.join(BUILD, name), str(d / name))
        (d / image).write_bytes(how(image))
        return boot(str(d))
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(ATTACKS)) as pool:
        return dict(zip(ATTACKS, pool.map(one, ATTACKS)))


def blocked(attack, status, lines):
    image, _, why = ATTACKS[attack]
    out = "\n".join(lines)
    assert status == 1, out
    want = "[mon] FATAL: %s image refused: %s" % (NAMES[image], why)
    hits = [l for l in lines if l.startswith(want)]
    assert len(hits) == 1, "no %r in:\n%s" % (want, out)
    if attack in REASON:
        assert hits[0].endswith(REASON[attack]), out
    # Nothing of either image ran; the monitor powered off cleanly.
    assert not [l for l in lines if l.startswith(("[ciee]", "[hyp]"))], out
    assert not [l for l in lines if l.startswith("[mon] CIEE at")], out
    assert "[mon] system off" in lines, out
    return "attack %s: blocked (monitor signature check: %s)" % (attack, hits[0].split(": ", 2)[2])


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_modified_image_stops_the_boot(runs, attack):
    print(blocked(attack, *runs[attack]))


def test_attack_suite_summary(runs, capsys):
    report = []
    for attack in ATTACKS:
        try:
            report.append(blocked(attack, *runs[attack]))
        except AssertionError:
            report.append("attack %s: NOT BLOCKED (status %d)" % (attack, runs[attack][0]))
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert not [r for r in report if "NOT BLOCKED" in r]


def test_built_images_verify_on_the_host():
    """What the build signed verifies with the key hash the flash holds."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("mkflash",
                                                  os.path.join(ROOT, "monitor", "mkflash.py"))
    mkflash = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mkflash)
    owner = mkflash.owner_hash_of(read("flash-vtz.bin"))
    for name in ("ciee.bin", "hyp.bin", "hyp-attack.bin", "hyp-preempt.bin"):
        digest, sec, khash = vtz_sign.verify(read(name), SIZE_OFFSET, owner)
        assert khash == owner and sec >= 1
        assert digest == hashlib.sha256(read(name)[:vtz_sign.parse(read(name), SIZE_OFFSET)[1]]
                                        ).digest()
