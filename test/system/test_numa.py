"""NUMA placement (hyp/numa.c): each VM, its TEE and its vCPUs on one node,
checked against the CIEE's own view (CIEE_CALL_VM_PLACEMENT: which SRAT
nodes the pages it owns for them lie in, on which CPUs it ran them)."""
import os
import re
import subprocess

import pytest

from conftest import BUILD, ROOT, find


def boot(*args, timeout=60):
    p = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "scripts", "vtz_run.py"),
                        "--build", BUILD, "--timeout", str(timeout)] + list(args),
                       cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=timeout + 60)
    return p.returncode, p.stdout.splitlines()


def views(lines):
    """{name: (node, pages vm, pages tee, cpus vm, cpus tee)} from the hypervisor's lines."""
    out = {}
    for l in lines:
        m = re.match(r"^\[hyp\] placement: (\S+) node=(\d+)$", l)
        if m:
            out[m.group(1)] = [int(m.group(2))]
        m = re.match(r"^\[hyp\] placement: (\S+): node \d+ full, on node (\d+) instead", l)
        if m:
            out[m.group(1)][0] = int(m.group(2))
        m = re.match(r"^\[hyp\] placement-check: (\S+): pages \(the CIEE's view\): vm "
                     r"nodes=(0x[0-9a-f]+), tee nodes=(0x[0-9a-f]+)$", l)
        if m:
            out[m.group(1)] += [int(m.group(2), 16), int(m.group(3), 16)]
        m = re.match(r"^\[hyp\] placement-check: (\S+): ran \(the CIEE's view\): vm "
                     r"cpus=(0x[0-9a-f]+), tee cpus=(0x[0-9a-f]+)$", l)
        if m:
            out[m.group(1)] += [int(m.group(2), 16), int(m.group(3), 16)]
    return out


def test_each_vm_and_its_tee_on_one_node():
    """4 CPUs on two nodes (0-1, 2-3), four VMs balanced: per the CIEE, every
    page of a VM and of its TEE lies in its node's SRAT range, and their
    vCPUs ran only on that node's CPUs."""
    status, lines = boot("--smp", "4", "--numa", "2", "--firmware-tables", "acpi")
    assert status == 0, "\n".join(lines)
    v = views(lines)
    assert sorted(v) == ["vm0", "vm1", "vm2", "vm3"], "\n".join(lines)
    node_cpus = {0: 0x3, 1: 0xc}
    for name, (node, pvm, ptee, cvm, ctee) in v.items():
        assert pvm == ptee == 1 << node, (name, v[name])
        assert cvm and cvm & ~node_cpus[node] == 0, (name, v[name])
        assert ctee & ~node_cpus[node] == 0, (name, v[name])
    # Balanced: both nodes used.
    assert {n[0] for n in v.values()} == {0, 1}


def test_full_node_falls_back_to_the_nearest():
    status, lines = boot("--smp", "4", "--numa", "4", "--mem", "1G", "--firmware-tables",
                         "acpi", "--vms", os.path.join(ROOT, "test", "data",
                                                      "numa-fallback.dts"))
    assert status == 0, "\n".join(lines)
    find(lines, r"^\[hyp\] placement: small: node 3 full, on node 0 instead \(distance 20\)$")
    v = views(lines)
    assert v["big"] == [3, 0x8, 0x8, 0x8, 0x8], v
    assert v["small"] == [0, 0x1, 0x1, 0x1, 0x1], v
