# SPDX-License-Identifier: MIT
"""System tests: TEE memory is scrubbed across a reset, before untrusted code runs.

QEMU keeps RAM (secure and non-secure) across a system reset, so a TEE's
pages would still hold its data when the next boot's hypervisor starts.
These tests boot the default scenario in QEMU *without* -no-reboot and with
-no-shutdown, drive it through QEMU's gdb stub (stop at exact instructions,
read and write physical memory from EL3 with the MMU off) and QMP
(system_reset), and look at memory itself rather than trusting the log:

- first boot: the monitor says so and scrubs nothing;
- QEMU's own reset (not through PSCI): at the moment the monitor drops to
  EL2 for the first time in the next boot, a TEE page, a free pool page
  and the CIEE data are zero, while the boot before had left data in them;
- PSCI SYSTEM_RESET: when the CPUs are back at the reset vector, the TEE's
  pages and the CIEE data are zero but a free pool page is not (the
  monitor scrubbed what the ownership table names), and the cold boot that
  follows scrubs the rest.

Every wait is for a gdb stop reply, a QMP event or a console line; none is
a sleep.
"""
import os
import re
import socket
import struct
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import BUILD
import vtz_run

TEE_RAM = 0x42000000          # tee0's RAM in the default scenario (boot log says so)
TEE_RAM_SIZE = 15 << 20
TEE_PROBE = TEE_RAM + 0x800000  # a tee0 page well past its image
FREE_PROBE = 0x7e000000       # VM pool, never donated in the default scenario
CIEE_DATA = 0x7f000000        # ownership table ...
PT_POOL = 0x7f280000          # ... and translation tables (include/vtz/platform.h)
POOL = (0x41000000, 0x7fffffff)
PSCI_SYSTEM_OFF = 0x84000008
PSCI_SYSTEM_RESET = 0x84000009
PATTERN = bytes(range(256)) * 16  # one 4 KiB page, never all zero
WAIT = 60


def symbol(name):
    """Address of a monitor symbol, from build/monitor.elf."""
    nm = os.environ.get("CROSS", "aarch64-linux-gnu-") + "nm"
    out = subprocess.run([nm, os.path.join(BUILD, "monitor.elf")], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    raise KeyError("%s not in monitor.elf" % name)


class Console:
    """QEMU's stdout (the non-secure UART), read by a thread into lines."""

    def __init__(self, stream):
        self.lines = []
        self.cond = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        buf = b""
        while True:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            with self.cond:
                while b"\n" in buf:
                    raw, buf = buf.split(b"\n", 1)
                    self.lines.append(raw.decode("utf-8", "replace").rstrip("\r"))
                self.cond.notify_all()
        with self.cond:
            if buf:
                self.lines.append(buf.decode("utf-8", "replace"))
            self.closed = True
            self.cond.notify_all()

    def wait_for(self, pattern, start=0, timeout=WAIT):
        """Index of the first line at or after start matching pattern."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    if rx.search(self.lines[i]):
                        return i
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    pytest.fail("no console line matches %r after line %d in:\n%s"
                                % (pattern, start, "\n".join(self.lines)))
                self.cond.wait(left)

    def since(self, start):
        with self.cond:
            return list(self.lines[start:])


def _connect_unix(path, timeout=WAIT):
    """Connect to a QEMU server socket (QEMU creates it before it runs)."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.settimeout(timeout)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class Qmp:
    """Minimal QMP client: commands and events."""

    def __init__(self, path):
        self.sock = _connect_unix(path)
        self.file = self.sock.makefile("rb")
        self.events = []
        self._recv()  # greeting
        self.cmd("qmp_capabilities")

    def _recv(self):
        import json
        line = self.file.readline()
        if not line:
            raise EOFError("QMP closed")
        return json.loads(line)

    def cmd(self, name, **args):
        import json
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._recv()
            if "event" in r:
                self.events.append(r["event"])
                continue
            if "error" in r:
                raise RuntimeError("QMP %s: %s" % (name, r["error"]))
            return r["return"]

    def wait_event(self, name):
        while name not in self.events:
            r = self._recv()
            if "event" in r:
                self.events.append(r["event"])
        self.events.remove(name)

    def close(self):
        self.sock.close()


class Gdb:
    """Minimal gdb remote-protocol client for QEMU's gdb stub (all-stop)."""

    def __init__(self, path):
        self.sock = _connect_unix(path)
        self.buf = b""
        # QEMU answers 'p' (one register) only to clients that read its
        # target description, as gdb does.
        assert self.send("qXfer:features:read:target.xml:0,ffb")[:1] in ("m", "l")

    def _byte(self):
        if not self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("gdb stub closed")
            self.buf = chunk
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def _packet(self):
        while self._byte() != b"$":
            pass
        data = b""
        while True:
            b = self._byte()
            if b == b"#":
                break
            data += b
        self._byte()
        self._byte()
        self.sock.sendall(b"+")
        return data.decode()

    def send(self, data, reply=True):
        raw = data.encode()
        self.sock.sendall(b"$%s#%02x" % (raw, sum(raw) & 0xff))
        while self._byte() != b"+":
            pass
        return self._packet() if reply else None

    def ok(self, data):
        r = self.send(data)
        assert r == "OK", "gdb %s: %s" % (data, r)

    def resume(self, how="c"):
        """Continue (or step) and wait for the stop reply."""
        self.send(how, reply=False)
        return self.wait_stop()

    def wait_stop(self):
        r = self._packet()
        assert r[:1] in ("T", "S"), "unexpected stop reply %r" % r
        return r

    def stopped_thread(self, reply):
        m = re.search(r"thread:([0-9a-f]+)", reply)
        return int(m.group(1), 16) if m else None

    def reg(self, n):
        return struct.unpack("<Q", bytes.fromhex(self.send("p%x" % n)[:16]))[0]

    def read(self, addr, size):
        out = b""
        while size:
            n = min(size, 1024)
            r = self.send("m%x,%x" % (addr, n))
            assert not r.startswith("E"), "gdb read 0x%x: %s" % (addr, r)
            out += bytes.fromhex(r)
            addr += n
            size -= n
        return out

    def set_reg(self, n, value):
        self.ok("P%x=%s" % (n, struct.pack("<Q", value).hex()))

    def write(self, addr, data):
        for off in range(0, len(data), 1024):
            chunk = data[off:off + 1024]
            self.ok("M%x,%x:%s" % (addr + off, len(chunk), chunk.hex()))

    def use_el3_cpu(self, ncpus):
        """Select a CPU that is at EL3 for memory accesses: there the MMU is
        off, so addresses are physical and every RAM page is reachable."""
        for t in range(1, ncpus + 1):
            self.ok("Hg%x" % t)
            cpsr = int.from_bytes(bytes.fromhex(self.send("p21")), "little")
            if (cpsr >> 2) & 3 == 3:
                return t
        pytest.fail("no CPU at EL3")

    def close(self):
        self.sock.close()


class Machine:
    """The default scenario in QEMU, halted at start, that reboots on reset
    and stays (halted) after power-off, with a gdb stub and QMP."""

    def __init__(self, tmp):
        cmd = vtz_run.qemu_command(BUILD, "default")
        cmd = [a for a in cmd if a != "-no-reboot"]
        self.ncpus = int(cmd[cmd.index("-smp") + 1])
        gdb, qmp = os.path.join(tmp, "gdb.sock"), os.path.join(tmp, "qmp.sock")
        cmd += ["-no-shutdown", "-S",
                "-gdb", "unix:%s,server=on,wait=off" % gdb,
                "-qmp", "unix:%s,server=on,wait=off" % qmp]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.console = Console(self.proc.stdout)
        self.qmp = Qmp(qmp)
        self.gdb = Gdb(gdb)

    def run_to_power_off(self):
        """Run until the monitor powers off (a stop with QEMU in 'shutdown')."""
        self.gdb.resume()
        assert self.qmp.cmd("query-status")["status"] == "shutdown", \
            "\n".join(self.console.lines)
        self.gdb.use_el3_cpu(self.ncpus)

    def qemu_reset(self):
        """QEMU's own reset (not PSCI); returns when it has happened."""
        self.qmp.cmd("system_reset")
        self.qmp.wait_event("RESET")
        while self.qmp.cmd("query-status")["status"] == "shutdown":
            pass

    def close(self):
        for c in (self.gdb, self.qmp):
            try:
                c.close()
            except OSError:
                pass
        self.proc.kill()
        self.proc.wait()
        self.console.thread.join(5)


@pytest.fixture
def machine():
    with tempfile.TemporaryDirectory(prefix="vtz-reset-") as tmp:
        m = Machine(tmp)
        try:
            yield m
        finally:
            m.close()


def boots(lines):
    return [i for i, l in enumerate(lines) if l.startswith("[mon] vTZ monitor at EL3")]


def is_zero(data):
    return data == bytes(len(data))


def assert_second_boot_completes(m, start):
    c = m.console
    c.wait_for(r"^\[hyp\] %d of %d CPUs online$" % (m.ncpus, m.ncpus), start)
    c.wait_for(r"^\[hyp\] tee0: booted, vector table registered", start)
    c.wait_for(r"^\[vm0\] round trip ok: TEE replied 0x1234 \+ 0x5678 = 0x68ac", start)
    c.wait_for(r"^\[mon\] system off$", start)
    assert not [l for l in c.since(start) if "FATAL" in l], "\n".join(c.lines)


def test_first_boot_says_so_and_scrubs_nothing(machine):
    m = machine
    m.run_to_power_off()
    lines = m.console.since(0)
    first = m.console.wait_for(r"^\[mon\] first boot since power-on \(boot marker in secure "
                               r"RAM is zero\): RAM is zero, no scrub needed$")
    assert first < m.console.wait_for(r"^\[mon\] CIEE at 0x40100000.*entering the CIEE")
    assert not [l for l in lines if "scrubbed" in l], "\n".join(lines)
    assert len(boots(lines)) == 1
    m.console.wait_for(r"^\[hyp\] tee0: guest TEE of vm0, 15 MiB RAM at IPA 0xe100000 "
                       r"\(PA 0x%x\)$" % TEE_RAM)


def test_qemu_reset_scrubs_before_untrusted_code(machine):
    m, g = machine, machine.gdb
    m.run_to_power_off()
    m.console.wait_for(r"\(PA 0x%x\)$" % TEE_RAM)
    # What the first boot left: the TEE's image, the CIEE's tables.
    assert not is_zero(g.read(TEE_RAM, 4096)), "tee0's image is not at 0x%x" % TEE_RAM
    assert not is_zero(g.read(CIEE_DATA, 4096)), "no ownership table at 0x%x" % CIEE_DATA
    assert not is_zero(g.read(PT_POOL, 4096)), "no translation table at 0x%x" % PT_POOL
    # A TEE secret, and data in a page nobody owns.
    g.write(TEE_PROBE, PATTERN)
    g.write(FREE_PROBE, PATTERN)
    assert g.read(TEE_PROBE, 4096) == PATTERN

    # Reset by QEMU, then stop where the monitor first drops to EL2.
    enter_el2 = symbol("monitor_enter_el2")
    start = len(m.console.since(0))
    m.qemu_reset()
    g.ok("Z0,%x,4" % enter_el2)
    stop = g.resume()
    assert g.reg(32) == enter_el2, stop
    # The machine is stopped: the monitor's last words are already in the pipe.
    last = m.console.wait_for(r"^\[mon\] CIEE at 0x40100000.*entering the CIEE", start)
    after = m.console.since(start)
    assert last == start + len(after) - 1, "\n".join(after)
    assert len(boots(after)) == 1
    assert not [l for l in after if not l.startswith("[mon] ")], \
        "something other than the monitor ran:\n" + "\n".join(after)
    m.console.wait_for(r"^\[mon\] cold boot after reset: scrubbed 0x%x-0x%x before any "
                       r"untrusted code runs \(boot 2, " % POOL, start)
    assert not [l for l in after if "first boot" in l]

    g.use_el3_cpu(m.ncpus)
    for addr, what in ((TEE_RAM, "tee0's first page"), (TEE_PROBE, "the TEE secret page"),
                       (TEE_RAM + TEE_RAM_SIZE - 4096, "tee0's last page"),
                       (FREE_PROBE, "a free pool page")):
        assert is_zero(g.read(addr, 4096)), "%s at 0x%x survived the reset" % (what, addr)
    if any(l.startswith("[mon] GATE=el3") for l in after):
        # GATE=el3: the monitor has already rebuilt its SMM state for this
        # boot. Nothing of the old one may remain: no page is a TEE's or a
        # VM's yet, as on a fresh boot.
        table = g.read(CIEE_DATA, (TEE_RAM - 0x40000000) // 4096 * 2 + 4096)
        owners = {int.from_bytes(table[i:i + 2], "little") >> 12
                  for i in range(0, len(table), 2)}
        assert not owners & {3, 4}, "VM/TEE ownership survived the reset: %r" % owners
    else:
        for addr, what in ((CIEE_DATA, "the ownership table"), (PT_POOL, "a translation table")):
            assert is_zero(g.read(addr, 4096)), "%s at 0x%x survived the reset" % (what, addr)
    # The images below the pool are QEMU's to reload, and not scrubbed.
    assert not is_zero(g.read(0x40100000, 64))

    g.ok("z0,%x,4" % enter_el2)
    g.resume()
    assert_second_boot_completes(m, start)


def test_psci_system_reset_scrubs_tee_pages(machine):
    m, g = machine, machine.gdb
    # Stop once, where the monitor powers off at the end of the run, and send
    # that CPU into power_reset() instead: what PSCI SYSTEM_RESET runs. (One
    # breakpoint and no stepping: while one CPU steps, QEMU runs the others,
    # which could slip past a breakpoint we had lifted.)
    power_off, power_reset = symbol("power_off"), symbol("power_reset")
    g.ok("Z0,%x,4" % power_off)
    stop = g.resume()
    g.ok("Hg%x" % g.stopped_thread(stop))
    g.ok("z0,%x,4" % power_off)
    assert g.reg(32) == power_off
    g.set_reg(32, power_reset)
    m.console.wait_for(r"\(PA 0x%x\)$" % TEE_RAM)
    assert not is_zero(g.read(TEE_RAM, 4096))
    g.write(TEE_PROBE, PATTERN)
    g.write(FREE_PROBE, PATTERN)

    # Next stop: a CPU back at the reset vector, before the monitor runs.
    g.ok("Z0,0,4")
    start = len(m.console.since(0))
    g.resume()
    assert g.reg(32) == 0
    # The hypervisor asked for SYSTEM_OFF; we sent the monitor into its reset path.
    i = m.console.wait_for(r"^\[mon\] PSCI SYSTEM_OFF$", 0)
    # Every TEE of the default scenario (4 of 15 MiB each): 4 x 3840 pages.
    j = m.console.wait_for(r"^\[mon\] system reset: scrubbed 15360 TEE pages \(60 MiB\) and "
                           r"the CIEE data region 0x7f000000-0x7fffffff", start)
    k = m.console.wait_for(r"^\[mon\] system reset$", start)
    assert i < j < k
    assert len(boots(m.console.lines)) == 1
    g.use_el3_cpu(m.ncpus)
    for addr in (TEE_RAM, TEE_PROBE, TEE_RAM + TEE_RAM_SIZE - 4096, CIEE_DATA, PT_POOL):
        assert is_zero(g.read(addr, 4096)), "0x%x not scrubbed by SYSTEM_RESET" % addr
    # Only what the ownership table names: the free page is the cold boot's.
    assert g.read(FREE_PROBE, 4096) == PATTERN
    # vm0's pages are not the TEE's: left for the cold boot too.
    assert not is_zero(g.read(0x41000000, 4096))

    g.ok("z0,0,4")
    g.resume()
    m.console.wait_for(r"^\[mon\] cold boot after reset: scrubbed 0x%x-0x%x before any "
                       r"untrusted code runs \(boot 2, " % POOL, start)
    assert_second_boot_completes(m, start)
    g.use_el3_cpu(m.ncpus)
    assert is_zero(g.read(FREE_PROBE, 4096))


def test_reset_parks_every_other_cpu_before_scrubbing():
    """The attack scenario asks for SYSTEM_RESET from cpu0 while cpu1 runs
    the hypervisor and cpu2/cpu3 sit halted inside the CIEE (CIEE mode,
    every interrupt masked): the monitor reports each of them parked at EL3
    (the secure park SGI, taken as FIQ at EL3 whatever they masked) before
    it scrubs any TEE page or the CIEE data (monitor/park.c)."""
    from conftest import run_to_end, find
    status, lines = run_to_end("attacks", timeout=300)
    reset = find(lines, r"^\[mon\] PSCI SYSTEM_RESET$")
    scrub = find(lines, r"^\[mon\] system reset: scrubbed \d+ TEE pages")
    parked = [find(lines, r"^\[mon\] system reset: cpu%d parked at EL3$" % c) for c in (1, 2, 3)]
    every = find(lines, r"^\[mon\] system reset: every other CPU parked at EL3")
    assert reset < min(parked) and max(parked) < every < scrub, "\n".join(lines)
    assert not [l for l in lines if "did not park" in l], "\n".join(lines)
