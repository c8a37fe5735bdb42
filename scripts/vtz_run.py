#!/usr/bin/python3
"""Boot a vTZ scenario in QEMU and decide whether it succeeded.

Prints every console line as it comes. Exits 0 only if the machine
powered itself off and no line reported a FATAL error; exits 1 on a
FATAL report, 2 on a usage or set-up error, 124 on a timeout.
"""
import argparse
import os
import select
import subprocess
import sys
import time

# Where each image goes (include/vtz/platform.h).
LAYOUT = {
    "ciee.bin": 0x40100000,
    "hyp.bin": 0x40400000,
    "tee.bin": 0x40800000,
}
GUEST_ADDR = 0x40900000
# scenario -> guest image, hypervisor image, CPUs, whether a reset reboots.
SCENARIOS = {
    "default": dict(guest="guest.bin"),
    "guest-fault": dict(guest="guest-fault.bin"),
    "guest-hang": dict(guest="guest-hang.bin"),
    # The attack suite: a hypervisor with attack hooks; spare CPUs for the
    # attacks that stop a CPU; a reset that reboots (the reset attack).
    "attacks": dict(guest="guest.bin", hyp="hyp-attack.bin", smp=4, reboot=True),
}


def qemu_command(build, scenario, gdb=False, icount=False, hyp=None):
    """The QEMU command line for a scenario, as a list. `hyp` names the
    hypervisor image in the build directory (the attack suite boots
    hyp-bad-*.bin in its place); by default the scenario's own."""
    if scenario not in SCENARIOS:
        raise ValueError("unknown scenario %r (known: %s)" % (scenario, ", ".join(SCENARIOS)))
    sc = SCENARIOS[scenario]
    hyp = hyp or sc.get("hyp", "hyp.bin")
    images = {(hyp if name == "hyp.bin" else name): addr for name, addr in LAYOUT.items()}
    images[sc["guest"]] = GUEST_ADDR
    cmd = [
        "qemu-system-aarch64",
        "-M", "virt,secure=on,virtualization=on,gic-version=3",
        "-cpu", "cortex-a57", "-smp", str(sc.get("smp", 2)), "-m", "1G",
        "-nographic",
    ]
    if not sc.get("reboot"):
        cmd.append("-no-reboot")
    cmd += ["-bios", os.path.join(build, "monitor.bin")]
    for name, addr in images.items():
        path = os.path.join(build, name)
        if not os.path.exists(path):
            raise FileNotFoundError("%s is missing: run `make` first" % path)
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (path, addr)]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    if gdb:
        cmd += ["-s", "-S"]
    return cmd


def run(cmd, timeout, echo=True):
    """Run QEMU, echo its output (unless echo is False), return (exit_status, lines)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    buf = b""
    lines = []
    fatal = False

    def say(msg):
        lines.append(msg)
        if echo:
            print(msg, flush=True)

    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            proc.kill()
            proc.wait()
            say("[run] TIMEOUT: no power-off after %d s; QEMU killed" % timeout)
            return 124, lines
        ready, _, _ = select.select([proc.stdout], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                lines.append(line)
                if echo:
                    print(line, flush=True)
                if "FATAL" in line:
                    fatal = True
        elif proc.poll() is not None:
            break
    proc.wait()
    if buf:
        say(buf.decode("utf-8", "replace"))
    if fatal:
        say("[run] FAILED: a FATAL error was reported")
        return 1, lines
    if proc.returncode != 0:
        say("[run] FAILED: QEMU exited with status %d" % proc.returncode)
        return 1, lines
    if not any("system off" in l for l in lines if l.startswith("[mon]")):
        say("[run] FAILED: QEMU stopped without the monitor powering off")
        return 1, lines
    say("[run] ok: clean power-off")
    return 0, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build/ciee", help="images of one gate (default build/ciee)")
    ap.add_argument("--scenario", default="default")
    ap.add_argument("--hyp", default=None, metavar="IMAGE",
                    help="hypervisor image in the build directory (default: the scenario's)")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("VTZ_TIMEOUT", "60")))
    ap.add_argument("--gdb", action="store_true", help="start QEMU halted, gdb server on :1234")
    ap.add_argument("--print-command", action="store_true")
    args = ap.parse_args()
    try:
        cmd = qemu_command(args.build, args.scenario, gdb=args.gdb, hyp=args.hyp)
    except (ValueError, FileNotFoundError) as e:
        print("[run] error: %s" % e, file=sys.stderr)
        return 2
    if args.print_command:
        print(" ".join(cmd))
        return 0
    print("[run] booting scenario '%s': %s" % (args.scenario, " ".join(cmd)), flush=True)
    if args.gdb:
        elfs = " ".join("-ex 'add-symbol-file %s'" % os.path.join(args.build, e)
                        for e in ("ciee.elf", "hyp.elf", "tee.elf"))
        print("[run] QEMU is halted with a gdb server on :1234; in another terminal:\n"
              "[run]   gdb-multiarch %s %s -ex 'target remote :1234'\n"
              "[run] (quit QEMU with Ctrl-A x)"
              % (os.path.join(args.build, "monitor.elf"), elfs), flush=True)
        return subprocess.call(cmd)
    status, _ = run(cmd, args.timeout)
    return status


if __name__ == "__main__":
    sys.exit(main())
