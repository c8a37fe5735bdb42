"""The attack suite (make attacks) as part of make test: every attack must
run and be blocked by the mechanism it targets."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, GATE, ROOT

# The memory-mapping policy runs in the CIEE, or in the monitor with GATE=el3.
SMM = r"(the CIEE|the monitor at EL3)"
EXPECTED_MECHANISM = {
    "read-tee-page": r"data abort at EL2, EC=0x25 FAR=0x[0-9a-f]+: TEE page not in the "
                     r"hypervisor's stage 1",
    "map-tee-into-hyp-stage1": SMM + r" refused: page belongs to a TEE; access still faults",
    "map-tee-into-other-vm": SMM + r" refused: page belongs to a TEE",
    "map-tee-into-own-guest": SMM + r" refused: page belongs to a TEE",
    # DMA (docs/security.md): no bus master in the hypervisor's stage 1 or a
    # guest's stage 2, and fw_cfg's DMA cannot reach a TEE page.
    "map-dma-device-into-hyp-stage1": SMM + r" refused all 9 \(fw_cfg, virtio-mmio, PCIe "
                                      r"MMIO/ECAM/PIO/high ECAM, platform bus, ITS, SMMU\): "
                                      r"device can DMA into any page; every page still faults",
    "map-dma-device-into-guest": SMM + r" accepted 0 of 9 DMA-capable device pages into vm1's "
                                 r"stage 2; every answer: device can DMA into any page",
    "dma-into-tee-page": r"data abort at EL2, EC=0x25 FAR=0x9020010: fw_cfg not in the "
                         r"hypervisor's stage 1; its DMA register write faulted too; the TEE "
                         r"still reads its secret 0x5ec2e7c0ffee5ec2",
    "gic-lpi-tables-over-tee-page": r"data abort at EL2, EC=0x25 FAR=0x80a0070: the "
                                    r"redistributor's LPI registers are read-only for the "
                                    r"hypervisor \(HYP_MAP RW: device can DMA into any page\); "
                                    r"highest pending INTID 10(2[0-3]|[01]\d), no LPI",
    "write-page-table": r"data abort at EL2, EC=0x25 .*not mapped for the hypervisor",
    "write-stage2-table": r"data abort at EL2, EC=0x25 .*not mapped for the hypervisor",
    "write-ownership-table": r"data abort at EL2, EC=0x25 .*ownership table not mapped",
    "write-ciee-data": r"data abort at EL2, EC=0x25 .*CIEE data not mapped",
    # flash0: firmware slots, their metadata, the anti-rollback counter.
    "write-flash0-firmware-metadata": SMM + r" refused mapping flash0: .*; a write faulted, a "
                                      r"read faulted \(EC=0x25 FAR=0x1000000\)",
    # A TEE's interrupts are the CIEE's to signal: list registers we fill never reach it.
    "forge-tee-interrupt": r"in a call through TEE_CALL it acknowledged 1023 \(the call TEE call "
                           r"done\), in the fast call 1023 \(VCPU_RUN guest trap\)",
    # Input typed on the secure console (include/vtz/tee_input.h): the TEE's alone.
    "type-into-tee-console": r"a byte into the input ring: faulted; its counter: faulted; "
                             + SMM + r" refused mapping the secure UART: .*; a read of its data "
                             r"register faulted \(EC=0x25 FAR=0x9040000\)",
    # The firmware's ACPI tables (monitor/acpi.c): read-only, the CIEE's, never a VM's.
    "tamper-acpi-tables": r"RSDP page: write faulted; HYP_MAP RW: page belongs to the "
                          r"CIEE/monitor; write faulted; DONATE: page not owned by the right "
                          r"owner; unchanged",
    "dc-isw-after-ciee-update": r"instruction abort at EL2, EC=0x21",
    "reclaim-tee-page-and-read": r"first word 0x0, zeroed by " + SMM,
    "enter-tee-at-arbitrary-pc": r"first entry elsewhere: bad TEE entry or vector table; a booted "
                                 r"TEE again: TEE not in a state for this call; ERET by the "
                                 r"hypervisor itself: faulted",
    "resume-tee-call-after-reset": r"reset of a TEE stopped mid-call: ok; resume of that stop "
                                   r"afterwards: TEE not in a state for this call; reply of it "
                                   r"delivered: no; a new call: answered",
    "start-tee-vcpu-at-arbitrary-pc": r"vCPU 1 before vCPU 0 registered its vectors: TEE not in "
                                      r"a state for this call; vCPU 1 elsewhere: bad TEE entry "
                                      r"or vector table",
    "resume-tee-with-altered-registers": r"resume without a pending stop: TEE not in a state "
                                         r"for this call; .* not writable: data abort",
    "read-tee-registers-after-exit": r"0 of 30 general, 6 EL1 and 3 EL2 exit registers hold "
                                     r"TEE state",
    "route-vm-smc-to-another-tee": r"via vm2: that vCPU has no pending TEE call; via vm0: that "
                                   r"vCPU has no pending TEE call; as its own: wrong VM kind",
    "mmio-read-into-other-register": r"[1-9]\d* hostile MMIO reads .*: reply still right",
    "return-reply-to-another-vcpu": r"reply not delivered; the vCPU that asked got it intact",
    "read-tee-fpsimd-after-exit": r"[1-9]\d* MMIO stops and the return, at worst: 0 of 64 q "
                                  r"halves held the TEE's secret, 0 of 66 FP/SIMD values were "
                                  r"not the hypervisor's; reply x0=0x0, TEE lost 0 of its 66",
    # Issue 4 (preemption; hyp/attack/attacks.c, attack_resume_preempted).
    "resume-preempted-tee-with-forged-state": r"[1-9]\d* preemptions, forged reads each; "
                                              r"[1-9]\d* MMIO stops; reply right; TEE in 0 "
                                              r"regs; call while preempted: TEE not in a state "
                                              r"for this call; late resume: TEE not in a state",
    "smc-outside-allow-list": r"NOT_SUPPORTED to 7 of 7 function IDs outside its list",
    "tee-key-from-hypervisor": r"own SMC: monitor answered -1 \(NOT_SUPPORTED\); the CIEE's "
                               r"smc at 0x[0-9a-f]+ run in hypervisor mode: -1 "
                               r"\(NOT_SUPPORTED: not the CIEE\)",
    # Attestation (docs/security.md, "Attestation").
    "attest-from-hypervisor": r"own SMC: monitor answered -1 \(NOT_SUPPORTED\); the CIEE's "
                              r"smc at 0x[0-9a-f]+ run in hypervisor mode: -1 "
                              r"\(NOT_SUPPORTED: not the CIEE\); its page untouched",
    "tee-attest-into-foreign-page": r"into its own page: 0; into its VM's page: -4 \(not its "
                                    r"own\), page untouched; into an unmapped IPA: -4 "
                                    r"\(not its own\)",
    "cpu-on-arbitrary-entry": r"started at the trusted entry with MMU and WXN on .*was "
                              r"never jumped to",
    "two-cpu-tlb-shootdown": r"64 rounds: 0 stale reads by cpu0 of pages cpu1 gave a TEE "
                             r"\(EC=0x25 FAR=0x[0-9a-f]+\), 0 not zeroed, 0 refused",
    "jump-into-ciee-past-gate": r"CIEE mode check failed on cpu2: CPU halted",
    "jump-to-ciee-sensitive-instruction": r"CIEE mode check failed on cpu3: CPU halted",
    "read-tee-page-after-reset": r"first word 0x0, scrubbed by the monitor",
    # Issue 9 (hyp/attack/untrusted_mem.c): each stopped by the mechanism
    # named, with its own error code (include/vtz/ciee_abi.h).
    "stage2-alias-outlives-reclaim": SMM + r" refused RECLAIM of one IPA while the other maps "
                                     r"the page: page still mapped at another IPA \(-35\)",
    "vcpu-ctx-over-hyp-text": r"VCPU_RUN, context at 0x[0-9a-f]+ \(x0 = last word of verified "
                              r"text\): argument over the hypervisor's text \(-28\); the text "
                              r"word stays 0x0\)$",
    "pointer-into-donated-tee-page": r"VCPU_RUN, context ending in it: -31, guest read 0 of 3 "
                                     r"TEE words as EL1 regs, TEE's word 28 intact.*TEE_CALL, "
                                     r"ciee_mmio in it: -31, TEE's word 128 intact",
    "event-log-into-tee-page": r"monitor ownership check: 4 of 4 buffers refused with their "
                               r"owner's error \(TEE page, across into it, own text, CIEE "
                               r"data\); TEE's word intact; own buffer: 0, 512 bytes",
    "tee-page-in-own-ns-window": r"S2_MAP of its own page 0x[0-9a-f]+ there: page at the wrong "
                                 r"place in the TEE's IPA space \(-37\); VM pages back: ok",
    "gate-with-spsel0": r"VCPU_RUN called with SPSel=0: 1 \(guest exit EC=0x17\), the CPU came "
                        r"back; CPU_STATUS after: 0",
    "replace-tee-page-after-measure": r"S2_MAP there: TEE measured: no new page where one of "
                                      r"its own was \(-38\); the TEE read 0xf+\)$",
    "rewrite-vcpu-ctx-during-run": r"[1-9]\d* fast calls while cpu0 rewrote pc/pstate [1-9]\d* "
                                   r"times: the guest ran on .* never at EL2",
    "tee-own-ram-abort-as-mmio": r"came to the hypervisor as MMIO 0 time\(s\).*TEE stopped",
    "boot-tee-vcpu-during-reset": r"TEE_BOOT of never-started vCPU 1 while vCPU 0 resets: "
                                  r"TEE not in a state for this call \(-8\)\)$",
    # VM_DESTROY (issue 11).
    "destroy-vm-with-tee-mid-call": r"destroy with the TEE stopped mid-entry: ok; resume of it: "
                                    r"no such VM; its page after: zeroed; resume at its reused "
                                    r"id: TEE not in a state for this call",
    "stale-tlb-across-vm-id-reuse": r"vm id \d+ \(VMID \d+\) reused after VM_DESTROY, its old "
                                    r"first page now a TEE's: the new VM ran its own image and "
                                    r"powered off cleanly",
    "create-vm-under-live-identity": r"VM_CREATE as vm0 while it lives: a live VM has that "
                                     r"identity; with a byte after the name's NUL: VM identity "
                                     r"not 1\.\.15 of",
    "create-vm-over-live-tee-pages": r"DONATE of its page: page not owned by the right owner; "
                                     r"S2_MAP of it: page belongs to a TEE; VM_CREATE at its id: "
                                     r"VM id in use; a second TEE for its VM: wrong VM kind",
    "resume-idle-tee-vcpu-after-reset": r"TEE_RESUME of idle vCPU 1 afterwards: TEE not in a "
                                        r"state for this call \(-8\)\)$",
    "garbage-in-tee-ram-before-boot": r"read 0 of 2 words past its image as ours, 2 as zero",
    "forge-tee-console-name": r"named \"mon\": TEE boot configuration refused.*\(-39\); named "
                              r"with a newline: .*\(-39\)\)$",
    "read-tee-console": r"logged [1-9]\d* characters .* of their secure-UART accesses we saw 0\)$",
    "tee-irq-into-other-vm": r"raised SPI 100: the call TEE call done, 1 raise stop\(s\); "
                             r"TEE_IRQ_TAKE for vm0 gave 0, for vm4 100, for tee4 itself wrong "
                             r"VM kind",
    "take-tee-secure-irq": r"raised SPI 101, secure: the call TEE call done, 0 raise stop\(s\); "
                           r"TEE_IRQ_TAKE for vm4 gave 0, for vm0 0; GIC accesses the CIEE left "
                           r"to us: 0\)$",
    "map-gic-into-tee": r"at its GIC of the real distributor: -45, of UART0: -45; then tee4 "
                        r"raised SPI 100 through the CIEE 1 time\(s\) \(taken: 100\)\)$",
    # Two CPUs (hyp/attack/races.c): every ordered pair of TEE vCPU
    # operations at once, and the MMIO record rewritten / watched by cpu4.
    "tee-vcpu-op-races": r"8 rounds x 16 pairs \+ 512 \(0 skipped, \d+ ms\): 0 outcomes no order "
                         r"allows, 0 calls lost or run twice, 0 wrong PINGs; [1-9]\d* entries "
                         r"\(B[1-9]\d* C[1-9]\d* R[1-9]\d* X[1-9]\d*\); cpus ok; TEE answers\)$",
    "rewrite-mmio-during-tee-resume": r"rewrote ipa/value/size/is_write [1-9]\d* times over "
                                      r"(\d+) resumes of a PING line \(\1 stops unraced\): reply "
                                      r"right, its stored word kept, line same length",
    "mmio-record-written-once": r"TEE_CALL stopped: sentinel, that stop once \([23] states\); "
                                r"TEE_CALL, no stop: never written; VCPU_RUN fast call stopped: "
                                r"sentinel, that stop once \([23] states\)",
}
FORBIDDEN = ["ttbr0", "tcr", "sctlr", "mair", "vbar", "hcr", "vttbr", "vtcr", "mdcr", "dcisw"]


def run_suite(*options):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_attacks.py"),
                        "--build", BUILD] + list(options), cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    print(r.stdout)
    return r.returncode, r.stdout


def check_verdicts(out, forbidden):
    verdicts = dict(re.findall(r"^attack (\S+): (.*)$", out, re.M))
    for name, mechanism in EXPECTED_MECHANISM.items():
        assert name in verdicts, "attack %s did not report" % name
        assert verdicts[name].startswith("blocked ("), "%s: %s" % (name, verdicts[name])
        assert re.search(mechanism, verdicts[name]), "%s: %s" % (name, verdicts[name])
    for name in forbidden:
        v = verdicts["forbidden-instruction-" + name]
        assert v.startswith("blocked (monitor instruction scan:"), v
    n = len(EXPECTED_MECHANISM) + len(forbidden)
    assert "attacks: %d tried, %d blocked, 0 succeeded" % (n, n) in out.splitlines()


def test_every_attack_runs_and_is_blocked_by_its_mechanism():
    status, out = run_suite()
    check_verdicts(out, FORBIDDEN)
    assert status == 0


def test_every_attack_is_blocked_while_linux_guests_run():
    """The same attacks from cpu0 while two Linux VMs (2 vCPUs, 128 MiB,
    each with its own TEE) run a libteec workload on cpu4 (scenario
    attacks-linux): every attack is still blocked by its mechanism, and the
    guests, whose TEE calls are in flight during the attacks, finish
    correctly with their own secrets and power off before the reset attack.
    The forbidden-instruction images do not depend on guests: the test
    above boots them."""
    status, out = run_suite("--with-linux", "--no-images")
    check_verdicts(out, [])
    lines = out.splitlines()
    # They kept running (vCPU turns) and so calling their TEEs: in their
    # load phase at the start (each TEE preempted mid-call already), and
    # still in it at the end (both ran through).
    m = [re.match(r"^\[hyp\] linux guests: 2 ran through the attacks \(their vCPUs ran "
                  r"[1-9]\d* turns and their TEE calls were preempted \d+ times during them\), "
                  r"2 powered off cleanly$", l)
         for l in lines]
    assert any(m), "no Linux guests' summary, or not both ran through:\n" + out
    for vm in ("lx0", "lx1"):
        assert "[%s] vtz-client: put secret: ok" % vm in lines
        # Loaded until the hypervisor said the attacks were over.
        assert any(re.match(r"^\[%s\] load-until-told: ok \([1-9]\d* rounds of 2 x 1000 calls; "
                            r"told: attacks over\)$" % vm, l) for l in lines), out
        assert "[%s] vtz-client: get secret: %s-own" % (vm, vm) in lines
        assert "[%s] vtz-linux: done (3 commands, 0 failed)" % vm in lines
        assert "[hyp] %s: PSCI SYSTEM_OFF" % vm in lines
        off = [l for l in lines if l.startswith("[hyp] %s: powered off; " % vm)]
        assert off and off[0].endswith("(2 of 2 vCPUs ran)"), off
    assert re.search(r"^linux guests: ok \(2 Linux VMs ran through the attacks", out, re.M), out
    assert status == 0


OPTEE_OS_BIN = os.environ.get(
    "VTZ_OPTEE_OS_BIN", os.path.join(os.path.dirname(BUILD), "optee", "out", "core",
                                     "tee-raw.bin"))


@pytest.mark.skipif(GATE == "el3", reason="with GATE=el3 the same attacks run while Linux guests "
                    "use our TEE (the test above); OP-TEE as the guests' TEE changes the TEE, "
                    "not where memory mapping is served, and is tested in the ciee gate's run")
def test_every_attack_is_blocked_while_linux_guests_run_optee():
    """The same, with unmodified OP-TEE OS as the two Linux VMs' TEEs
    (scenario attacks-linux-optee; the suite's own VMs keep the test TEE):
    every attack blocked by its mechanism while each VM opens sessions to
    OP-TEE's test pseudo TA, in rounds, until the hypervisor types that the
    attacks are over; OP-TEE is preempted mid-call during them, and both
    VMs power off cleanly. Skips without an OP-TEE build."""
    if not os.path.exists(OPTEE_OS_BIN):
        pytest.skip("no OP-TEE OS build at %s (make optee-os)" % OPTEE_OS_BIN)
    status, out = run_suite("--with-linux", "--no-images", "--tee", OPTEE_OS_BIN)
    check_verdicts(out, [])
    lines = out.splitlines()
    assert any(re.match(r"^\[hyp\] linux guests: 2 ran through the attacks \(their vCPUs ran "
                        r"[1-9]\d* turns and their TEE calls were preempted [1-9]\d* times "
                        r"during them\), 2 powered off cleanly$", l) for l in lines), out
    for vm in ("lx0", "lx1"):
        assert any(re.match(r"^\[%s\] load-until-told: ok \([1-9]\d* rounds of 2 x 100 "
                            r"sessions; told: attacks over\)$" % vm, l) for l in lines), out
        assert "[%s] vtz-linux: done (2 commands, 0 failed)" % vm in lines
    assert re.search(r"^linux guests: ok \(2 Linux VMs ran through the attacks.*with OP-TEE",
                     out, re.M), out
    assert status == 0
