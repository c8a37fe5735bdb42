"""A guest TEE's own interrupts (issue 10): what is typed on the secure
console reaches one TEE at a time, as its secure UART's receive interrupt,
delivered by the CIEE at the TEE's fiq_entry (docs/architecture.md,
"Secure interrupts"). Our TEE logs each line it reads. OP-TEE's side is in
test_optee_guest.py (its notification for its VM's Linux)."""

from conftest import BUILD, NATIVE_ONCE, find

import vtz_run

SECRET = "pin 4711"


def boot(*typed):
    cmd = vtz_run.qemu_command(BUILD, "default")
    return vtz_run.run(cmd, 60, echo=False, tee_input=list(typed))


def test_typed_lines_reach_the_tee_in_focus_and_only_it():
    status, lines = boot(("registering vectors", (SECRET + "\n").encode()),
                         ("input: " + SECRET, b"\x14second\r"),
                         ("input: second", b"\x14\x14third\n"))
    assert status == 0, "\n".join(lines)
    first = find(lines, r"^\[ciee\] secure console input: to tee0 \(Ctrl-T: the next TEE\)$")
    find(lines, r"^\[tee0\] input: %s \(line 1\)$" % SECRET)
    # Ctrl-T: the next TEE by id; a carriage return ends a line too.
    find(lines, r"^\[ciee\] secure console input: to tee1 \(Ctrl-T: the next TEE\)$")
    find(lines, r"^\[tee1\] input: second \(line 1\)$")
    find(lines, r"^\[ciee\] secure console input: to tee3 \(Ctrl-T: the next TEE\)$")
    find(lines, r"^\[tee3\] input: third \(line 1\)$")
    assert first < find(lines, r"^\[tee0\] input:")
    # Each TEE got its own line only.
    for tee, line in (("tee0", SECRET), ("tee1", "second"), ("tee3", "third")):
        got = [l for l in lines if l.startswith("[%s] input:" % tee)]
        assert len(got) == 1 and line in got[0], got
    assert not any(l.startswith("[tee2] input:") for l in lines)
    # Typed for a TEE: never on the normal world's console, the hypervisor's or a VM's.
    assert not any(SECRET in l for l in lines
                   if not l.startswith("[tee0]") and not l.startswith("[run]")), \
        "\n".join(l for l in lines if SECRET in l)


def test_nothing_typed_nothing_delivered():
    status, lines = boot()
    assert status == 0, "\n".join(lines)
    assert not any("secure console input" in l or "] input:" in l for l in lines)


@NATIVE_ONCE
def test_native_tee_gets_its_console_interrupt_from_the_monitor():
    """Natively the TEE owns the secure UART; its receive interrupt, secure
    group 1, fires while the normal world runs: the monitor takes it at EL3
    (SCR_EL3.FIQ) and enters the TEE at fiq_entry, as TF-A's opteed does."""
    cmd = vtz_run.qemu_command(BUILD, "native")
    status, lines = vtz_run.run(cmd, 60, echo=False,
                                tee_input=[("registering vectors", b"native line\n")])
    assert status == 0, "\n".join(lines)
    find(lines, r"^\[tee\] input: native line \(line 1\)$")
    assert not any("no TEE to take it" in l or "TEE stopped" in l for l in lines)
