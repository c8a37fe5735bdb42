#!/usr/bin/python3
"""Writes a directory tree as a gzip-compressed newc cpio archive: a Linux
initramfs, without cpio(1) and without root.

Deterministic: entries sorted by path, owner 0:0, every mtime fixed
(SOURCE_DATE_EPOCH, else 0), inode numbers assigned in order, modes
normalised (directories 0755, files 0755 if executable by the owner else
0644, symlinks 0777), gzip header without name or time. Device nodes,
which an unprivileged build cannot create on disk, are added from the
command line.

usage: mkinitramfs.py --root DIR [--node PATH:c|b:MAJOR:MINOR:MODE]... -o OUT
  e.g. --node /dev/console:c:5:1:0600
"""

import argparse
import gzip
import os
import stat
import sys

S_IFDIR = 0o040000
S_IFREG = 0o100000
S_IFLNK = 0o120000
S_IFCHR = 0o020000
S_IFBLK = 0o060000


class Writer:
    def __init__(self, out, mtime):
        self.out = out
        self.mtime = mtime
        self.ino = 0

    def entry(self, name, mode, data=b"", rdev=(0, 0)):
        self.ino += 1
        namez = name.encode() + b"\0"
        fields = [
            self.ino, mode, 0, 0, 1, self.mtime, len(data),
            0, 0, rdev[0], rdev[1], len(namez), 0,
        ]
        hdr = b"070701" + b"".join(b"%08x" % f for f in fields)
        self.out.write(hdr + namez)
        self.pad(len(hdr) + len(namez))
        self.out.write(data)
        self.pad(len(data))

    def pad(self, n):
        self.out.write(b"\0" * (-n % 4))


def walk(root):
    """Yields (archive name, host path) for every entry under root, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            host = os.path.join(dirpath, n)
            found.append((os.path.relpath(host, root), host))
    return sorted(found)


def parse_node(spec):
    try:
        path, kind, major, minor, mode = spec.split(":")
        if kind not in ("c", "b"):
            raise ValueError
        return (path.lstrip("/"), S_IFCHR if kind == "c" else S_IFBLK,
                int(major), int(minor), int(mode, 8))
    except ValueError:
        raise argparse.ArgumentTypeError(
            "bad --node %r (want PATH:c|b:MAJOR:MINOR:MODE)" % spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", required=True, help="directory tree to archive")
    ap.add_argument("--node", type=parse_node, action="append", default=[],
                    help="device node PATH:c|b:MAJOR:MINOR:MODE")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()

    if not os.path.isdir(args.root):
        sys.exit("mkinitramfs: error: %s is not a directory" % args.root)
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    entries = {}
    for name, host in walk(args.root):
        st = os.lstat(host)
        if stat.S_ISLNK(st.st_mode):
            entries[name] = (S_IFLNK | 0o777, os.readlink(host).encode(), (0, 0))
        elif stat.S_ISDIR(st.st_mode):
            entries[name] = (S_IFDIR | 0o755, b"", (0, 0))
        elif stat.S_ISREG(st.st_mode):
            perm = 0o755 if st.st_mode & stat.S_IXUSR else 0o644
            with open(host, "rb") as f:
                entries[name] = (S_IFREG | perm, f.read(), (0, 0))
        else:
            sys.exit("mkinitramfs: error: %s: not a file, directory or symlink "
                     "(use --node for device nodes)" % host)
    for path, kind, major, minor, mode in args.node:
        entries[path] = (kind | mode, b"", (major, minor))
    # Every parent directory of a node must exist in the archive.
    for name in list(entries):
        parent = os.path.dirname(name)
        while parent and parent not in entries:
            entries[parent] = (S_IFDIR | 0o755, b"", (0, 0))
            parent = os.path.dirname(parent)

    tmp = args.output + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                           compresslevel=9) as gz:
            w = Writer(gz, mtime)
            for name in sorted(entries):
                mode, data, rdev = entries[name]
                w.entry(name, mode, data, rdev)
            w.entry("TRAILER!!!", 0)
    os.replace(tmp, args.output)
    print("[linux] initramfs %s: %d entries, %d KiB" %
          (args.output, len(entries), os.path.getsize(args.output) // 1024))


if __name__ == "__main__":
    main()
