"""The monitor as the platform firmware: it installs QEMU's ACPI tables from
fw_cfg at cold boot (monitor/acpi.c) and hands the RSDP to the CIEE and the
hypervisor; tables it cannot read are refused with the reader's message,
and the machine still boots from its device tree."""
import os
import subprocess

import pytest

from conftest import BUILD, ROOT, find

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


def test_tables_it_cannot_read_are_refused_by_name():
    """Five NUMA nodes: more proximity domains than the reader takes."""
    status, lines = boot("--numa", "5", "--mem", "1280M")
    assert status == 0, "\n".join(lines)
    i = find(lines, r"^\[mon\] ACPI: tables refused: SRAT: proximity domain not below "
                    r"ACPI_MAX_NODES$")
    assert find(lines, r"^\[mon\] ACPI: no tables for the CIEE and the hypervisor") == i + 1
    find(lines, r"^\[hyp\] vTZ hypervisor .* ACPI RSDP at 0x0$")
    assert not any("ACPI tables from the monitor" in l for l in lines)
