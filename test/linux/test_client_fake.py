"""vtz-client against a stand-in libteec (fake_teec.c), built for the host:
its commands, parameter layouts, checks, messages and exit codes, without a
TEE. Needs Debian's optee-client-dev headers, fetched by `make linux-guest`."""
import os
import re
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("VTZ_BUILD_ROOT", os.path.join(ROOT, "build"))
if not os.path.isabs(BUILD):
    BUILD = os.path.join(ROOT, BUILD)
TEEC_INC = os.path.join(BUILD, "linux", "pkgs", "usr", "include")
CLIENT_DIR = os.path.join(ROOT, "guests", "linux", "client")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    if not os.path.exists(os.path.join(TEEC_INC, "tee_client_api.h")):
        pytest.skip("optee-client-dev headers not fetched (%s): run `make linux-guest`"
                    % TEEC_INC)
    exe = str(tmp_path_factory.mktemp("fake") / "vtz-client")
    srcs = sorted(os.path.join(CLIENT_DIR, f) for f in os.listdir(CLIENT_DIR)
                  if f.endswith(".c"))
    subprocess.run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1",
                    "-I" + os.path.join(ROOT, "include"), "-I" + TEEC_INC, *srcs,
                    os.path.join(ROOT, "test", "linux", "fake_teec.c"), "-o", exe],
                   check=True)
    return exe


def run(client, *args, **env):
    e = dict(os.environ)
    e.update(env)
    p = subprocess.run([client, *args], capture_output=True, text=True, env=e)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def test_ping(client):
    assert run(client, "ping") == (0, "vtz-client: ping: ok (0x1234 + 0x5678 = 0x68ac)", "")


def test_no_tee(client):
    rc, out, err = run(client, "ping", FAKE_TEEC_NO_TEE="1")
    assert rc == 3 and out == ""
    assert err == ("vtz-client: error: no TEE (TEEC_InitializeContext: 0xffff0008 "
                   "TEEC_ERROR_ITEM_NOT_FOUND): is the optee driver loaded?")


def test_uuid(client):
    bad = "7ee0ec40-0000-4000-8000-000000000009"
    rc, _, err = run(client, "uuid", bad)
    assert rc == 4
    assert err == ("vtz-client: error: uuid %s: bad UUID (TEEC_OpenSession: 0xffff0008 "
                   "TEEC_ERROR_ITEM_NOT_FOUND, origin TEE)" % bad)
    good = "7EE0EC40-0000-4000-8000-000000000001"
    assert run(client, "uuid", good)[:2] == (0, "vtz-client: uuid %s: ok (session opened)" % good)
    assert run(client, "uuid", "7ee0ec40-0000-4000-8000-00000000000")[0] == 2
    assert run(client, "uuid", "7ee0ec40+0000-4000-8000-000000000001")[0] == 2


def test_echo_mem(client):
    rc, out, _ = run(client, "echo-mem")
    assert rc == 0
    assert re.fullmatch(r"vtz-client: echo-mem 12388: ok \(sum 0x[0-9a-f]+, copy matches, "
                        r"input spans 4 pages\)", out)
    assert run(client, "echo-mem", "1")[1].endswith("input spans 1 pages)")
    rc, _, err = run(client, "echo-mem", "5000", FAKE_TEEC_WRONG="1")
    assert rc == 7 and "wrong byte sum" in err
    assert run(client, "echo-mem", "0")[0] == 2
    assert run(client, "echo-mem", "-5")[0] == 2


def test_client_sized_buffers(client):
    """Sizes real clients use: 64 KiB allocated, 4 MiB registered."""
    rc, out, _ = run(client, "alloc-mem", "65536")
    assert (rc, out) == (0, "vtz-client: alloc-mem 65536: ok (sum 0x%x, copy matches, "
                            "input spans 16 pages)" % sum((i * 7 + 3 + (i >> 12)) & 255
                                                          for i in range(65536)))
    rc, out, _ = run(client, "echo-mem", "4194304")
    assert rc == 0 and out.endswith("input spans 1025 pages)"), out
    assert run(client, "echo-mem", str(16 << 20))[0] == 0
    assert run(client, "echo-mem", str((16 << 20) + 1))[0] == 2
    rc, _, err = run(client, "alloc-mem", "5000", FAKE_TEEC_WRONG="1")
    assert rc == 7 and "alloc-mem 5000: wrong byte sum" in err
    assert run(client, "alloc-mem")[0] == 2
    assert run(client, "alloc-mem", "0")[0] == 2


def test_sessions(client):
    assert run(client, "sessions", "64") == (
        0, "vtz-client: sessions 64: ok (64 open at once, each answered)", "")
    rc, out, err = run(client, "sessions", "65")
    assert (rc, out) == (4, "")
    assert err == ("vtz-client: error: sessions 65: session 65 refused, 64 open "
                   "(TEEC_OpenSession: 0xffff000c TEEC_ERROR_OUT_OF_MEMORY, origin TEE): "
                   "TEE session table full")
    assert run(client, "sessions", "0")[0] == 2
    assert run(client, "sessions", "1025")[0] == 2


def test_store(client):
    assert run(client, "get", "secret")[:2] == (0, "vtz-client: get secret: kept")
    assert run(client, "put", "k", "v") == (0, "vtz-client: put k: ok", "")
    assert run(client, "delete", "secret") == (0, "vtz-client: delete secret: ok", "")
    rc, _, err = run(client, "get", "nothere")
    assert (rc, err) == (1, "vtz-client: error: get nothere: not found (TEEC_ERROR_ITEM_NOT_FOUND)")
    assert run(client, "delete", "nothere")[0] == 1
    rc, _, err = run(client, "get", "secret", "2")
    assert (rc, err) == (6, "vtz-client: error: get secret: buffer too small "
                         "(TEEC_ERROR_SHORT_BUFFER, needs 4 bytes)")
    rc, _, err = run(client, "get", "secret", "0")
    assert rc == 6 and "needs 4 bytes" in err


def test_mac(client):
    rc, out, _ = run(client, "mac", "7", "hello")
    assert rc == 0 and re.fullmatch(r"vtz-client: mac 7: [0-9a-f]{64}", out)
    assert run(client, "mac", "x", "hello")[0] == 2


def test_loop_and_yield(client):
    rc, out, _ = run(client, "loop", "100")
    assert rc == 0
    assert re.fullmatch(r"vtz-client: loop 100: ok \(100 calls in \d+ us, \d+ us/call\)", out)
    rc, _, err = run(client, "loop", "3", FAKE_TEEC_WRONG="1")
    assert rc == 7 and "loop: call 0: wrong answer" in err
    assert run(client, "yield", "3")[:2] == (0, "vtz-client: yield 3: ok (3 resumes)")
    assert run(client, "yield", "17")[0] == 2


def test_usage(client):
    assert run(client)[0] == 2
    assert run(client, "ping", "extra")[0] == 2
    assert run(client, "frobnicate")[0] == 2
