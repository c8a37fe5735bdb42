"""The README's workflow for a user's own programs (issue 10): `make
linux-guest EXTRA_ROOTFS=tree`, then `make run SCENARIO=linux`, which
rebuilds the guest through `make linux-guest` without naming the tree. The
initramfs must keep the tree until `EXTRA_ROOTFS=` says otherwise. Rebuilds
the real initramfs (a few seconds each) and puts back the tree that was
remembered before. Needs `make linux-guest` (make linux-smoke runs it)."""
import gzip
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("VTZ_BUILD_ROOT", os.path.join(ROOT, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)
LINUX = os.path.join(BUILD, "linux")
INITRAMFS = os.path.join(LINUX, "initramfs.cpio.gz")
STAMP = os.path.join(LINUX, "extra-rootfs")
MARKER = "usr/share/my-tree/marker"


def make(*args):
    """make in the repository, as a user types it: nothing inherited from a
    make that runs this test (its MAKEFLAGS would carry its variables)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "EXTRA_ROOTFS")}
    p = subprocess.run(["make", "--no-print-directory", "BUILD=" + BUILD, *args], cwd=ROOT,
                       env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def names():
    """The entry names of the gzip'd newc initramfs."""
    data = gzip.open(INITRAMFS).read()
    out, pos = [], 0
    while pos < len(data):
        assert data[pos:pos + 6] == b"070701", "not newc at %d" % pos
        size = int(data[pos + 54:pos + 62], 16)
        namesize = int(data[pos + 94:pos + 102], 16)
        name = data[pos + 110:pos + 110 + namesize - 1].decode()
        pos = (pos + 110 + namesize + 3) & ~3
        pos = (pos + size + 3) & ~3
        if name == "TRAILER!!!":
            break
        out.append(name)
    return out


@pytest.fixture
def tree(tmp_path):
    if not os.path.exists(os.path.join(LINUX, ".fetched")):
        pytest.skip("Linux guest not built: run `make linux-guest`")
    before = open(STAMP).read().strip() if os.path.exists(STAMP) else ""
    t = tmp_path / "my-tree"
    (t / os.path.dirname(MARKER)).mkdir(parents=True)
    (t / MARKER).write_text("mine\n")
    yield str(t)
    make("linux-files", "EXTRA_ROOTFS=" + before)


def test_extra_rootfs_survives_the_next_make(tree):
    out = make("linux-guest", "EXTRA_ROOTFS=" + tree)
    assert "[linux] added %s" % tree in out
    assert MARKER in names()
    # What `make run SCENARIO=linux` does before it boots: the guest again,
    # EXTRA_ROOTFS unset. It must not rebuild without the tree...
    make("linux-guest")
    assert MARKER in names()
    assert open(STAMP).read().strip() == tree
    # ...and when something does make it rebuild, the tree is still in.
    os.utime(os.path.join(tree, MARKER))
    out = make("linux-guest")
    assert "[linux] EXTRA_ROOTFS=%s (kept until EXTRA_ROOTFS= is given)" % tree in out
    assert MARKER in names()
    # `make -n run SCENARIO=linux` names no other initramfs recipe.
    dry = make("-n", "run", "SCENARIO=linux")
    assert "mkrootfs.sh" not in dry or tree in dry, dry
    # Set and empty: the user's tree is dropped, and that is remembered too.
    make("linux-guest", "EXTRA_ROOTFS=")
    assert MARKER not in names()
    make("linux-guest")
    assert MARKER not in names()
