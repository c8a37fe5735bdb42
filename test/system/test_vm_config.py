"""System tests: VMs from a user's configuration (README.md, "VM
configurations"): scripts/vtz_run.py --vms FILE.dts compiles it, checks it
with the hypervisor's own reader, stages its files; the hypervisor reads
it again and creates what it says. A bad file is refused before QEMU
starts; a bad blob that got past the runner is refused by the hypervisor
with the same reader's message, before it creates any VM."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, ROOT, find

import vtz_run

# Three bare VMs of 1, 3 and 2 vCPUs; the first and second with a TEE (the
# second's with its own console name and vCPU count, one MiB more memory),
# the third without: its TEE calls get SMCCC NOT_SUPPORTED. The first's
# kernel is a file next to the configuration, the others the build's.
THREE = """/dts-v1/;
/ {
	compatible = "vtz,vm-config";

	alpha {
		compatible = "vtz,vm";
		kind = "bare";
		vcpus = <1>;
		memory-mib = <8>;
		kernel = "my-guest.bin";
		tee {
			image = "tee.bin";
			memory-mib = <15>;
		};
	};

	beta {
		compatible = "vtz,vm";
		kind = "bare";
		vcpus = <3>;
		memory-mib = <16>;
		kernel = "guest.bin";
		tee {
			console-name = "bt";
			image = "tee.bin";
			memory-mib = <16>;
			vcpus = <3>;
		};
	};

	gamma {
		compatible = "vtz,vm";
		kind = "bare";
		vcpus = <2>;
		memory-mib = <4>;
		kernel = "guest.bin";
	};
};
"""


def runner(*args, timeout=60):
    """scripts/vtz_run.py with args, as `make run VMS=...` runs it:
    (exit status, stdout lines, stderr)."""
    child = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"),
                            "--build", BUILD, "--timeout", str(timeout)] + list(args),
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=timeout + 30)
    return child.returncode, [l for l in child.stdout.splitlines() if l.strip()], child.stderr


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    d = tmp_path_factory.mktemp("vms")
    shutil.copy(os.path.join(BUILD, "guest.bin"), str(d / "my-guest.bin"))
    (d / "three.dts").write_text(THREE)
    return runner("--vms", str(d / "three.dts"))


def test_a_users_configuration_runs(three):
    status, lines, err = three
    assert status == 0, "\n".join(lines) + err
    assert lines[-1] == "[run] ok: clean power-off"
    hyp = [l for l in lines if l.startswith("[hyp] ")]
    # The last thing the hypervisor says: what became of the VMs.
    assert hyp[-1] == "[hyp] vms: 3 started, 3 stopped cleanly, 0 failed", hyp
    find(lines, r"^\[hyp\] VM configuration at 0x40a00000: 3 VMs$")
    find(lines, r"^\[hyp\] config: alpha: bare, 1 vCPU, 8 MiB, kernel my-guest.bin "
                r"\(\d+ bytes at 0x40900000\)$")
    find(lines, r"^\[hyp\] config: gamma: bare, 2 vCPUs, 4 MiB, kernel guest.bin .*, no TEE$")


def test_each_vm_has_what_its_configuration_says(three):
    _, lines, _ = three
    for i, (vm, vcpus, mib) in enumerate((("alpha", 1, 8), ("beta", 3, 16), ("gamma", 2, 4))):
        find(lines, r"^\[hyp\] %s: guest VM, %d vCPUs?, %d MiB RAM at IPA 0x40000000"
             % (vm, vcpus, mib))
        # The guest counts its own vCPUs (PSCI AFFINITY_INFO); x0 is its place in the file.
        find(lines, r"^\[%s\] VM %d with %d vCPUs? \(PSCI AFFINITY_INFO\)$" % (vm, i, vcpus))
        find(lines, r"^\[hyp\] %s: PSCI SYSTEM_OFF$" % vm)
        line = lines[find(lines, r"^\[hyp\] %s: powered off; " % vm)]
        assert line.endswith("of %d vCPUs ran)" % vcpus), line


def test_each_tee_is_its_vms_own(three):
    _, lines, _ = three
    # alpha's TEE takes its derived name, beta's the one given.
    for vm, tee, vcpus, mib in (("alpha", "tee0", 1, 15), ("beta", "bt", 3, 16)):
        find(lines, r"^\[hyp\] %s: guest TEE of %s, %d MiB RAM at IPA 0xe100000" % (tee, vm, mib))
        find(lines, r"^\[hyp\] %s: booted, vector table registered with the CIEE "
                    r"\(%d vCPUs?\)$" % (tee, vcpus))
        find(lines, r"^\[%s\] vTZ TEE kernel: initialised" % tee)
        find(lines, r"^\[%s\] round trip ok: TEE replied 0x1234 \+ 0x5678 = 0x68ac" % vm)
        find(lines, r"^\[%s\] 200 calls to my TEE, every reply mine$" % vm)
    find(lines, r"^\[bt\] vTZ TEE kernel: cpu2 on$")
    find(lines, r"^\[beta\] vCPU 1: 200 calls to my TEE, every reply mine$")
    find(lines, r"^\[alpha\] one vCPU only")


def test_a_vm_without_a_tee(three):
    _, lines, _ = three
    find(lines, r"^\[gamma\] no TEE answers \(SMCCC NOT_SUPPORTED\): a VM without a TEE")
    assert not [l for l in lines if re.match(r"^\[hyp\] \S+: guest TEE of gamma", l)]
    assert not [l for l in lines if "FATAL" in l]


BAD = """/dts-v1/;
/ {
	compatible = "vtz,vm-config";

	vm0 {
		compatible = "vtz,vm";
		kind = "bare";
		vcpus = <2>;
		memory-mib = <16>;
		kernel = "guest.bin";
		tee { image = "tee.bin"; memory-mib = <15>; };
	};

	vm1 {
		compatible = "vtz,vm";
		kind = "bare";
		vcpus = <2>;
		memory-mib = <%s>;
		kernel = "%s";
		tee { image = "tee.bin"; memory-mib = <15>; };
	};
};
"""


@pytest.mark.parametrize("memory, kernel, message", [
    ("4096", "guest.bin", "vm1: memory-mib: 4096 MiB with its TEE does not fit: 912 MiB left"),
    ("15", "guest.bin", "vm1: memory-mib: 15 MiB: not a multiple of 2 MiB (the hypervisor's "
                        "chunk)"),
    ("16", "no-such-guest.bin", "vm1: kernel: 'no-such-guest.bin': no such file"),
])
def test_a_bad_configuration_is_refused_before_qemu_starts(tmp_path, memory, kernel, message):
    path = tmp_path / "bad.dts"
    path.write_text(BAD % (memory, kernel))
    status, lines, err = runner("--vms", str(path))
    assert status == 2, "\n".join(lines) + err
    assert err.startswith("[run] error: %s: %s" % (path, message)), err
    # QEMU never started: nothing booted, nothing spoke.
    assert not lines, lines


def test_a_typo_is_refused_with_its_node_and_property(tmp_path):
    path = tmp_path / "typo.dts"
    path.write_text((BAD % ("16", "guest.bin")).replace("memory-mib = <16>;\n\t\tkernel",
                                                         "memory-mb = <16>;\n\t\tkernel"))
    status, lines, err = runner("--vms", str(path))
    assert status == 2 and not lines
    assert err.strip() == "[run] error: %s: vm0: memory-mb: unknown property" % path, err


def test_the_hypervisor_refuses_a_bad_blob_itself(tmp_path):
    """The runner checked the configuration; a blob changed after that (as
    an attacker, or a loader that does not check, may stage it) is refused
    by the hypervisor with the same reader's message, before any VM is
    made, and the run fails."""
    cmd = vtz_run.qemu_command(BUILD, "default")
    i = [n for n, a in enumerate(cmd) if "addr=0x%x," % vtz_run.VM_CONFIG_ADDR in a][0]
    blob = re.search(r"file=([^,]+),", cmd[i]).group(1)
    for edit, message in (
            (["-t", "u", "/vm2", "colour", "3"], "vm2: colour: unknown property"),
            # A file "staged" over a VM's memory: the copy would read what is not the file.
            (["-t", "x", "/loaded/img0", "addr", "0", "41000000"],
             r"loaded/img0: addr: 0x41000000 \(\+0x[0-9a-f]+\) is outside the staging areas")):
        bad = str(tmp_path / "bad.dtb")
        shutil.copy(blob, bad)
        subprocess.run(["fdtput", bad] + edit, check=True)
        status, lines = vtz_run.run(cmd[:i] + [cmd[i].replace(blob, bad)] + cmd[i + 1:],
                                    timeout=30, echo=False)
        assert status == 1, "\n".join(lines)
        find(lines, r"^\[hyp\] FATAL: VM configuration at 0x40a00000 refused: %s$" % message)
        assert not [l for l in lines if re.match(r"^\[hyp\] (vm\d|tee\d|config):", l)], lines
        assert not [l for l in lines if re.match(r"^\[(vm|tee)\d\] ", l)], lines
        find(lines, r"^\[mon\] system off$")


def test_vm_runs_are_for_linux_vms():
    status, lines, err = runner("--vms", os.path.join(ROOT, "vms", "default.dts"),
                                "--vm-run", "vtz-client:ping")
    assert status == 2 and not lines
    assert "--vm-run and --shell are for configurations with Linux VMs" in err, err
