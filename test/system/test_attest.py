"""System tests: remote attestation (docs/security.md, "Attestation"). In
each Linux VM, `vtz-client attest NONCE` asks the attestation TA, whose TEE
asks its dispatcher (VTZ_SMC_TEE_ATTEST): the CIEE passes the measurement
and VM identity it recorded to the monitor, which signs the report with the
device attestation key. On the host, scripts/vtz_attest.py checks each
report against the public key `make keys` exports (derived here the same
way from this build's device root key): every field must be what the boot
log says was measured, each VM must be named as itself, and a flipped
byte, a wrong nonce or another key must each be rejected. Natively the
same TEE gets a report of its own home. Needs `make linux-guest`."""
import hashlib
import os
import re
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import BUILD, ROOT, find

import vtz_attest
import vtz_run

ROOT_KEY = os.path.join(os.path.dirname(BUILD), "device-root-key.bin")
SCRIPT = os.path.join(ROOT, "scripts", "vtz_attest.py")
NONCES = ["%02x" % i * 32 for i in (0xa0, 0xa1, 0xa2)]
HOME = "vtz-el3" if os.path.basename(BUILD) == "el3" else "vtz-ciee"


def boot(scenario, *vm_runs):
    try:
        vtz_run.linux_files(BUILD)
    except FileNotFoundError as e:
        pytest.fail("%s (make test builds it with `make linux-guest`)" % e)
    sc = vtz_run.SCENARIOS[scenario]
    lines = [vtz_run.linux_cmdline(sc, i, r) for i, r in enumerate(vm_runs)]
    cmd = vtz_run.qemu_command(BUILD, scenario, linux_cmdlines=lines)
    status, out = vtz_run.run(cmd, 200, echo=False,
                              ns_prefix=vtz_run.scenario_ns_prefix(scenario))
    assert status == 0, "\n".join(out)
    return out


@pytest.fixture(scope="module")
def vtz():
    return boot("linux", "vtz-client:attest:" + NONCES[0],
                "vtz-client:attest:" + NONCES[1] + ",vtz-client:attest:0123")


@pytest.fixture(scope="module")
def native():
    if HOME == "vtz-el3":
        pytest.skip("the native home has no gate: tested with the ciee build")
    return boot("linux-native", "vtz-client:attest:" + NONCES[2])


@pytest.fixture(scope="module")
def pub(tmp_path_factory):
    """The attestation public key, exported as `make keys` does."""
    path = str(tmp_path_factory.mktemp("keys") / "attest-pub.pem")
    subprocess.run([sys.executable, SCRIPT, "export", ROOT_KEY, path], check=True)
    return path


def report_of(lines, who):
    """The report one machine's client printed, from its split console lines."""
    own = [l for l in lines if l.startswith("[%s] " % who)]
    find(own, r"vtz-client: attest report: [0-9a-f]+$")
    return vtz_attest.report_bytes("\n".join(own))


def check(pub, nonce, report):
    """vtz_attest.py as a user runs it: (exit status, stdout + stderr)."""
    p = subprocess.run([sys.executable, SCRIPT, "--key", pub, "--nonce", nonce, report.hex()],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def logged(lines, pattern):
    return re.search(pattern, lines[find(lines, pattern)]).group(1)


def test_the_monitor_uses_the_key_make_keys_exports(vtz, pub):
    """The monitor's key's fingerprint (SHA-256 of its uncompressed point)."""
    with open(pub, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    point = key.public_bytes(serialization.Encoding.X962,
                             serialization.PublicFormat.UncompressedPoint)
    assert logged(vtz, r"^\[mon\] attestation key: derived from the device root key; "
                       r"public key sha256 ([0-9a-f]{64})$") == hashlib.sha256(point).hexdigest()


def test_each_vm_gets_a_report_that_proves_what_runs_under_it(vtz, pub):
    tee = hashlib.sha256(open(os.path.join(BUILD, "tee.bin"), "rb").read()).hexdigest()
    monitor = logged(vtz, r"^\[mon\] measured boot: monitor sha256 ([0-9a-f]{64}) ")
    ciee = logged(vtz, r"^\[mon\] CIEE image verified: .* sha256 ([0-9a-f]{64})$")
    hyp = logged(vtz, r"^\[mon\] hypervisor image verified: .* sha256 ([0-9a-f]{64})$")
    version = int(logged(vtz, r"^\[mon\] CIEE image verified: .*security version (\d+),"))
    # Each TEE's measurement as the monitor logged it at its TEE_BOOT.
    assert re.findall(r"^\[mon\] TEE measured: sha256 ([0-9a-f]{64}) ", "\n".join(vtz),
                      re.M) == [tee, tee]
    for i in range(2):
        report = report_of(vtz, "vm%d" % i)
        status, out = check(pub, NONCES[i], report)
        assert status == 0, out
        assert "home:              %s" % HOME in out, out
        f = vtz_attest.parse(report)
        assert (f["monitor"].hex(), f["ciee"].hex(), f["hyp"].hex(), f["tee"].hex()) == \
            (monitor, ciee, hyp, tee)
        assert f["security_version"] == version
        assert f["identity"] == b"vm%d" % i + b"\0" * 13, f["identity"]
        assert "VM identity:       'vm%d'" % i in out, out


def test_two_vms_with_the_same_tee_are_told_apart(vtz):
    a, b = vtz_attest.parse(report_of(vtz, "vm0")), vtz_attest.parse(report_of(vtz, "vm1"))
    assert a["tee"] == b["tee"]
    assert a["identity"] != b["identity"]


def test_any_flipped_byte_is_rejected(vtz, pub):
    key = vtz_attest.load_public(pub)
    nonce = bytes.fromhex(NONCES[0])
    report = report_of(vtz, "vm0")
    vtz_attest.verify(report, key, nonce)
    for i in range(len(report)):
        bad = bytearray(report)
        bad[i] ^= 0x01
        with pytest.raises(vtz_attest.ReportError):
            vtz_attest.verify(bytes(bad), key, nonce)
    bad = bytearray(report)
    bad[150] ^= 0x80  # in the TEE's measurement
    status, out = check(pub, NONCES[0], bytes(bad))
    assert status == 1 and "report REJECTED: bad signature" in out, out


def test_a_wrong_nonce_and_another_key_are_rejected(vtz, pub, tmp_path):
    report = report_of(vtz, "vm0")
    # vm1's nonce: vm0's report replayed to a verifier that asked vm1.
    status, out = check(pub, NONCES[1], report)
    assert status == 1 and "report REJECTED: wrong nonce" in out, out
    other = str(tmp_path / "other.pem")
    with open(other, "wb") as f:
        f.write(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    status, out = check(other, NONCES[0], report)
    assert status == 1 and "report REJECTED: bad signature" in out, out
    status, out = check(pub, NONCES[0], report[:-1])
    assert status == 1 and "a report is 256 bytes, this one 255" in out, out


def test_the_client_refuses_a_malformed_nonce(vtz):
    find(vtz, r"^\[vm1\] vtz-client: error: attest: bad argument '0123'$")


def test_the_native_tee_gets_a_report_of_its_home(native, pub):
    tee = hashlib.sha256(open(os.path.join(BUILD, "tee.bin"), "rb").read()).hexdigest()
    report = report_of(native, "ns")
    status, out = check(pub, NONCES[2], report)
    assert status == 0, out
    f = vtz_attest.parse(report)
    assert f["home"] == "native" and f["security_version"] == 0
    assert f["tee"].hex() == tee
    assert f["ciee"] == f["hyp"] == b"\0" * 32 and f["identity"] == b"\0" * 16
    assert f["monitor"].hex() == logged(native, r"^\[mon\] monitor measured: sha256 "
                                                r"([0-9a-f]{64}) ")
