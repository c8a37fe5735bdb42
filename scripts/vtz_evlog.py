#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print a vTZ measured-boot event log and replay its PCRs.

The log is the monitor's (monitor/measured_boot.c, policy/event_log.c) in
the TCG PC Client Platform Firmware Profile's crypto-agile format: a Spec
ID event (TCG_PCClientPCREvent, EV_NO_ACTION, "Spec ID Event03", SHA-256
only), then TCG_PCR_EVENT2 records, each with one SHA-256 digest. The
hypervisor prints it in hex at the end of a run; `scripts/vtz_run.py
--event-log FILE` saves it as binary.

usage: vtz_evlog.py FILE            print every event, then PCR 0..2 replayed
       vtz_evlog.py --console LOG   the same, from a run's console output
"""
import argparse
import hashlib
import re
import struct
import sys

EV_NAMES = {0x1: "EV_POST_CODE", 0x3: "EV_NO_ACTION", 0x4: "EV_SEPARATOR",
            0x7: "EV_S_CRTM_CONTENTS"}
ALG_SHA256 = 0x000B
CONSOLE_LINE = re.compile(r"^\[hyp\] event log ([0-9a-f]{5,}): ([0-9a-f]*)$")


def parse(data):
    """(spec, events) of a log: spec a dict of the Spec ID event's fields,
    events a list of (pcr, type, digest, data). ValueError if malformed."""
    if len(data) < 32:
        raise ValueError("shorter than a TCG_PCClientPCREvent")
    pcr, etype = struct.unpack_from("<II", data, 0)
    size = struct.unpack_from("<I", data, 28)[0]
    if pcr != 0 or etype != 0x3 or data[8:28] != b"\0" * 20 or 32 + size > len(data):
        raise ValueError("first event is not an EV_NO_ACTION Spec ID event")
    ev = data[32:32 + size]
    if len(ev) < 29 or ev[:16] != b"Spec ID Event03\0":
        raise ValueError("no 'Spec ID Event03' signature")
    platform, vmin, vmaj, errata, uintn, nalg = struct.unpack_from("<IBBBBI", ev, 16)
    algs = [struct.unpack_from("<HH", ev, 28 + 4 * i) for i in range(nalg)]
    if algs != [(ALG_SHA256, 32)]:
        raise ValueError("algorithms %r, expected SHA-256 only" % algs)
    spec = dict(platform_class=platform, version="%d.%d" % (vmaj, vmin), errata=errata,
                uintn_size=uintn, algorithms=algs)
    off, events = 32 + size, []
    while off < len(data):
        if len(data) - off < 50:
            raise ValueError("truncated TCG_PCR_EVENT2 at 0x%x" % off)
        pcr, etype, count, alg = struct.unpack_from("<IIIH", data, off)
        if count != 1 or alg != ALG_SHA256:
            raise ValueError("event at 0x%x: %d digests, algorithm 0x%x" % (off, count, alg))
        digest = data[off + 14:off + 46]
        n = struct.unpack_from("<I", data, off + 46)[0]
        if off + 50 + n > len(data):
            raise ValueError("event at 0x%x: data runs past the log" % off)
        events.append((pcr, etype, digest, data[off + 50:off + 50 + n]))
        off += 50 + n
    return spec, events


def replay(events):
    """{pcr: value}: each PCR from 32 zero bytes, extended with every
    digest logged to it, as a TPM would have (EV_NO_ACTION extends nothing)."""
    pcrs = {}
    for pcr, etype, digest, _ in events:
        if etype == 0x3:
            continue
        pcrs[pcr] = hashlib.sha256(pcrs.get(pcr, b"\0" * 32) + digest).digest()
    return pcrs


def from_console(lines):
    """The log's bytes from the hypervisor's "event log OFFSET: HEX" lines."""
    data = b""
    for line in lines:
        m = CONSOLE_LINE.match(line.rstrip("\r\n"))
        if not m:
            continue
        if int(m[1], 16) != len(data):
            raise ValueError("event log line at 0x%s, expected 0x%x" % (m[1], len(data)))
        data += bytes.fromhex(m[2])
    if not data:
        raise ValueError("no event log lines")
    return data


def describe(data):
    """Human-readable lines for the whole log and its replay."""
    spec, events = parse(data)
    out = ["Spec ID Event03: TCG PFP crypto-agile log, TPM %s family (errata %d), SHA-256 only"
           % (spec["version"], spec["errata"])]
    for i, (pcr, etype, digest, ev) in enumerate(events):
        text = ev.rstrip(b"\0").decode("ascii", "replace") if ev.rstrip(b"\0") else ev.hex()
        out.append("%3d PCR%-2d %-18s %s  %s" % (i, pcr, EV_NAMES.get(etype, hex(etype)),
                                                 digest.hex(), text))
    for pcr, value in sorted(replay(events).items()):
        out.append("PCR%d replayed: %s" % (pcr, value.hex()))
    return out


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("file", nargs="?")
    ap.add_argument("--console", metavar="LOG")
    args = ap.parse_args()
    try:
        if args.console:
            with open(args.console, errors="replace") as f:
                data = from_console(f.readlines())
        elif args.file:
            with open(args.file, "rb") as f:
                data = f.read()
        else:
            ap.error("a log file or --console LOG")
        print("\n".join(describe(data)))
    except (ValueError, OSError, struct.error) as e:
        sys.exit("vtz_evlog: %s" % e)


if __name__ == "__main__":
    main()
