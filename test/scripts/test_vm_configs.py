"""scripts/vtz_run.py's side of VM configurations, without QEMU or images:
every vTZ scenario names a configuration in vms/ that dtc compiles, the
Linux VMs' command line is the native Linux's, the staging of files (the
old slots first, then the smallest free range, a clear refusal when
nothing is left), and the per-run options appended to the Linux VMs'
command lines."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import vtz_run  # noqa: E402

MIB = 1 << 20


def compile_dts(path, tmp_path):
    out = str(tmp_path / (os.path.basename(path) + ".dtb"))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, path], check=True)
    return out


def test_every_vtz_scenario_names_a_configuration_dtc_compiles(tmp_path):
    for name, sc in vtz_run.SCENARIOS.items():
        if sc.get("native"):
            assert "vms" not in sc, name
            continue
        path = vtz_run.scenario_config(name)
        assert os.path.isfile(path), (name, path)
        compile_dts(path, tmp_path)


def test_linux_vms_boot_with_the_native_linux_command_line(tmp_path):
    """linux-native runs "the same command line as vm0's"."""
    for name in ("linux.dts", "attacks-linux.dts", "bench-linux.dts", "eight-linux.dts"):
        blob = compile_dts(os.path.join(vtz_run.VMS_DIR, name), tmp_path)
        nodes = subprocess.run(["fdtget", "-l", blob, "/"], check=True, capture_output=True,
                               text=True).stdout.split()
        linux = [n for n in nodes
                 if subprocess.run(["fdtget", blob, "/" + n, "kind"], capture_output=True,
                                   text=True).stdout.strip() == "linux"]
        assert linux, name
        for n in linux:
            got = subprocess.run(["fdtget", blob, "/" + n, "bootargs"], check=True,
                                 capture_output=True, text=True).stdout.strip()
            assert got == vtz_run.LINUX_CMDLINE, (name, n, got)


def test_first_file_of_each_kind_takes_its_old_slot():
    s = vtz_run.Stager()
    assert s.place(10000, vtz_run.STAGE_SLOTS["bare"]) == 0x40900000
    assert s.place(24000, vtz_run.STAGE_SLOTS["tee"]) == 0x40800000
    assert s.place(27 * MIB, vtz_run.STAGE_SLOTS["linux"]) == 0x7c000000
    assert s.place(4 * MIB, vtz_run.STAGE_SLOTS["initramfs"]) == 0x7e000000
    # A second bare kernel: its slot's start is taken; the smallest free
    # range that holds it, page aligned.
    second = s.place(10000)
    assert second % vtz_run.STAGE_ALIGN == 0
    assert 0x40800000 + 24576 <= second < 0x40900000
    # Too big for its slot and for what is left anywhere.
    assert s.place(33 * MIB, vtz_run.STAGE_SLOTS["linux"]) is None


def test_files_never_overlap_and_stay_in_the_areas():
    s = vtz_run.Stager()
    placed = []
    for size in (5 * MIB, 1, 4096, 300000, 2 * MIB + 1, 7, 1 * MIB, 12 * MIB, 4097):
        base = s.place(size)
        assert base is not None
        end = base + size
        assert any(a <= base and end <= a + n for a, n in vtz_run.STAGE_AREAS), hex(base)
        for b, e in placed:
            assert end <= b or e <= base, (hex(base), hex(b))
        placed.append((base, end))


def test_nothing_left_is_refused():
    s = vtz_run.Stager()
    total = sum(n for _, n in vtz_run.STAGE_AREAS)
    assert s.place(total + 1) is None
    # Fill the areas with 1 MiB files: then not even a byte fits.
    while s.place(MIB) is not None:
        pass
    while s.place(vtz_run.STAGE_ALIGN) is not None:
        pass
    assert s.place(1) is None


def test_runner_options_go_to_each_linux_vms_bootargs():
    sc = dict(vms="x.dts", append="loglevel=5", run=["a", "b"])
    base = {"/lx0": "console=ttyAMA0", "/lx1": "console=ttyAMA0"}
    edits = vtz_run.linux_bootargs("x.dts", sc, ["lx0", "lx1"], base, None, ["mine"], True)
    assert edits == [
        ("/lx0", "bootargs", "console=ttyAMA0 loglevel=5 vtz.vm=0 vtz.run=mine vtz.shell=1"),
        ("/lx1", "bootargs", "console=ttyAMA0 loglevel=5 vtz.vm=1 vtz.run=b vtz.shell=1"),
    ]
    # Whole command lines replace them.
    edits = vtz_run.linux_bootargs("x.dts", {}, ["lx0"], base, ["quiet"], None, False)
    assert edits == [("/lx0", "bootargs", "quiet")]


def test_runner_options_are_refused_where_they_cannot_go():
    with pytest.raises(ValueError, match="--vm-run and --shell are for configurations with "
                                         "Linux VMs"):
        vtz_run.linux_bootargs("x.dts", {}, [], {}, None, ["a"], False)
    with pytest.raises(ValueError, match="2 --vm-run for 1 Linux VM"):
        vtz_run.linux_bootargs("x.dts", {}, ["lx0"], {}, None, ["a", "b"], False)
    with pytest.raises(ValueError, match=r"x.dts: lx0: bootargs: 1100 bytes with the "
                                         r"runner's options: at most 1023"):
        vtz_run.linux_bootargs("x.dts", {}, ["lx0"], {}, ["x" * 1100], None, False)


def test_dts_strings_are_quoted():
    assert vtz_run.dts_string('a "b" \\c') == '"a \\"b\\" \\\\c"'
