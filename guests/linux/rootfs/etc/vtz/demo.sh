#!/bin/sh
# The default guest workload: every vtz-client command once, against this
# VM's own TEE. Without a TEE (plain QEMU) the first call reports it and
# the script stops there with vtz-client's exit code. With OP-TEE OS as
# the TEE, OP-TEE's own test pseudo TA instead of vTZ's TAs.
set -eu
rc=0
vtz-client ping 2>/tmp/demo-ping.err || rc=$?
if [ $rc -ne 0 ]; then
	# OP-TEE OS (make run TEE=optee) has none of vTZ's TAs: its own test
	# pseudo TA stands in for them.
	if grep -q "TEEC_ERROR_ITEM_NOT_FOUND" /tmp/demo-ping.err &&
		vtz-client uuid d96a5b40-c3e5-21e3-8794-1002a5d5c61b; then
		echo "demo: this TEE has no vTZ TAs (OP-TEE OS?): its test pseudo TA instead"
		vtz-client optee-loop 200
		echo "demo: ok"
		exit 0
	fi
	cat /tmp/demo-ping.err >&2
	exit $rc
fi
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
