#!/bin/sh
# The default guest workload: every vtz-client command once, against this
# VM's own TEE. Without a TEE (plain QEMU) the first call reports it and
# the script stops there with vtz-client's exit code.
set -eu
vtz-client ping
vtz-client echo-mem 12388
vtz-client yield 3
vtz-client put secret "kept in my own TEE"
vtz-client get secret
vtz-client mac 0 hello
vtz-client delete secret
if vtz-client get secret; then
	echo "demo: FAILED: secret still there after delete"
	exit 1
fi
vtz-client loop 200
echo "demo: ok"
