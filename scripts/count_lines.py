#!/usr/bin/python3
"""Count the lines of code in the given files: non-blank lines that are not
only a comment. Prints a per-directory table and the total."""
import collections
import os
import re
import sys


def code_lines(path):
    n = 0
    in_block = False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if in_block:
                if "*/" in line:
                    in_block = False
                    line = line.split("*/", 1)[1].strip()
                else:
                    continue
            if line.startswith("/*"):
                if "*/" not in line:
                    in_block = True
                    continue
                line = re.sub(r"/\*.*?\*/", "", line).strip()
            if not line or line.startswith("//"):
                continue
            n += 1
    return n


def main(files):
    per_dir = collections.Counter()
    for path in files:
        per_dir[os.path.dirname(path)] += code_lines(path)
    for d in sorted(per_dir):
        print("%-28s %6d" % (d + "/", per_dir[d]))
    print("%-28s %6d" % ("TCB total (monitor + CIEE)", sum(per_dir.values())))


if __name__ == "__main__":
    main(sys.argv[1:])
