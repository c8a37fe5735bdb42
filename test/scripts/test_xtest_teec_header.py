"""scripts/xtest_teec_header.py: TEEC_Context's fields move under imp,
nothing else changes, and a header it does not recognise is refused."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import xtest_teec_header  # noqa: E402

# The shape of optee-client 3.19's declaration, with its neighbours.
HEADER_319 = """typedef uint32_t TEEC_Result;

typedef struct {
\t/* Implementation defined */
\tint fd;
\tbool reg_mem;
\tbool memref_null;
} TEEC_Context;

typedef struct {
\tTEEC_Context *ctx;
\tuint32_t session_id;
} TEEC_Session;
"""


def test_fields_move_under_imp():
    out = xtest_teec_header.convert(HEADER_319)
    before, ctx, after = HEADER_319.partition(
        "typedef struct {\n\t/* Implementation defined */\n\tint fd;\n"
        "\tbool reg_mem;\n\tbool memref_null;\n} TEEC_Context;")
    assert ctx
    assert out.startswith(before) and out.endswith(after)
    new = out[len(before):len(out) - len(after)]
    assert "struct {\n\t\tint fd;\n\t\tbool reg_mem;\n\t\tbool memref_null;\n\t} imp;" in new
    assert new.rstrip().endswith("} TEEC_Context;")


@pytest.mark.parametrize("text", [
    HEADER_319.replace("bool memref_null;", ""),        # 3.18: no memref_null
    HEADER_319.replace("int fd;", "struct { int fd;"),  # not 3.19's layout
    HEADER_319 + HEADER_319,                            # twice
    "",
])
def test_unknown_declaration_is_refused(text):
    with pytest.raises(ValueError):
        xtest_teec_header.convert(text)


def test_command_line(tmp_path):
    src = tmp_path / "tee_client_api.h"
    src.write_text(HEADER_319)
    out = tmp_path / "inc" / "tee_client_api.h"
    script = os.path.join(ROOT, "scripts", "xtest_teec_header.py")
    subprocess.run([sys.executable, script, str(src), str(out)], check=True)
    assert "} imp;" in out.read_text()
    src.write_text("typedef int TEEC_Context;\n")
    p = subprocess.run([sys.executable, script, str(src), str(out)], capture_output=True, text=True)
    assert p.returncode == 1 and "TEEC_Context" in p.stderr
