"""The monitor as the platform firmware: it installs QEMU's ACPI tables from
fw_cfg at cold boot (monitor/acpi.c) and hands the RSDP to the CIEE and the
hypervisor; tables it cannot read are refused with the reader's message,
and the machine still boots from its device tree."""
import os
import subprocess

import pytest

from conftest import BUILD, ROOT, find, GATE_INDEPENDENT

RSDP = "0x7efc0000"  # PLAT_ACPI_BASE: the RSDP is the first file placed


def boot(*args, timeout=60):
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"),
                        "--build", BUILD, "--timeout", str(timeout)] + list(args),
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=timeout + 60)
    return p.returncode, p.stdout.splitlines()


@pytest.fixture(scope="module")
def numa_run():
    return boot("--smp", "4", "--numa", "2")


def test_monitor_installs_tables_and_hands_on_the_rsdp(numa_run):
    status, lines = numa_run
    assert status == 0, "\n".join(lines)
    order = [
        find(lines, r"^\[mon\] ACPI: tables installed at 0x7efc0000-0x[0-9a-f]+, RSDP at %s: "
                    r"4 CPUs, 2 NUMA nodes, SRAT, SLIT$" % RSDP),
        find(lines, r"^\[ciee\] ACPI tables from the monitor: RSDP at %s, in "
                    r"0x7efc0000-0x7effffff \(read-only for the hypervisor\)$" % RSDP),
        find(lines, r"^\[hyp\] vTZ hypervisor \(untrusted\) at EL2, MMU on; device tree at "
                    r"0x40000000, ACPI RSDP at %s$" % RSDP),
    ]
    assert order == sorted(order)
    # Two nodes of 1 GiB: the monitor takes both as one RAM.
    find(lines, r"^\[mon\] RAM: 0x40000000-0xbfffffff \(2048 MiB\)")


@GATE_INDEPENDENT
def test_tables_it_cannot_read_are_refused_by_name():
    """Five NUMA nodes: more proximity domains than the reader takes. One
    small VM (vms/firmware.dts): on five nodes and two CPUs, placement would
    give the default scenario's two-vCPU VMs one CPU each, and their guest
    bounds its wait for the second vCPU in time."""
    status, lines = boot("--numa", "5", "--mem", "1280M",
                         "--vms", os.path.join(ROOT, "vms", "firmware.dts"))
    assert status == 0, "\n".join(lines)
    i = find(lines, r"^\[mon\] ACPI: tables refused: SRAT: proximity domain not below "
                    r"ACPI_MAX_NODES$")
    assert find(lines, r"^\[mon\] ACPI: no tables for the CIEE and the hypervisor") == i + 1
    find(lines, r"^\[hyp\] vTZ hypervisor .* ACPI RSDP at 0x0$")
    assert not any("ACPI tables from the monitor" in l for l in lines)


def platform(lines):
    """The hypervisor's description of the machine, without the source."""
    desc = [l for l in lines if l.startswith("[hyp] platform: ")]
    assert desc, "\n".join(lines)
    return [l.replace("source=acpi", "source=?").replace("source=dt", "source=?") for l in desc]


@pytest.mark.parametrize("shape", [("1",), ("2",), ("4",), ("4", "2")],
                         ids=["smp1", "smp2", "smp4", "smp4-numa2"])
def test_acpi_and_device_tree_describe_the_same_machine(shape):
    """FIRMWARE_TABLES=acpi against the DTB: the same CPUs and MPIDRs, GIC,
    timer INTIDs, UART, memory, nodes and distances."""
    args = ["--smp", shape[0]] + (["--numa", shape[1]] if len(shape) > 1 else [])
    runs = {}
    for source in ("dt", "acpi"):
        status, lines = boot(*args, "--firmware-tables", source)
        assert status == 0, "\n".join(lines)
        find(lines, r"^\[hyp\] platform: source=%s cpus=%s nodes=%s$"
             % (source, shape[0], shape[1] if len(shape) > 1 else 1))
        runs[source] = platform(lines)
    assert runs["acpi"] == runs["dt"]
    cpus = [l for l in runs["acpi"] if " mpidr=" in l]
    assert len(cpus) == int(shape[0])
    assert ("[hyp] platform: gicd=0x8000000 gicr=0x80a0000 timer-intids=29,30,27,26 "
            "uart=0x9000000") in runs["acpi"]


@GATE_INDEPENDENT
def test_acpi_requested_without_tables_is_a_clear_error():
    status, lines = boot("--numa", "5", "--mem", "1280M", "--firmware-tables", "acpi")
    assert status != 0
    i = find(lines, r"^\[hyp\] platform: FIRMWARE_TABLES=acpi, but the monitor installed no "
                    r"ACPI tables \(its console says why\)$")
    assert find(lines, r"^\[hyp\] FATAL: cannot learn the machine from acpi") == i + 1
    find(lines, r"^\[mon\] ACPI: tables refused: SRAT: proximity domain")
