/* SPDX-License-Identifier: MIT */
/*
 * Bare-metal OP-TEE client: talks to its TEE the way Linux's optee driver
 * (drivers/tee/optee/smc_abi.c) does. It probes (UID, revisions,
 * capabilities, shared-memory cache, thread count), registers a
 * dynamic shared buffer built from pages that are deliberately not
 * adjacent, opens sessions to each built-in TA by UUID, invokes commands
 * with value, tmem and rmem parameters, serves RPCs, closes, unregisters,
 * and sends the TEE a series of bad messages that must be refused. Each
 * check prints one line; a failed one prints FATAL, which fails the run.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>
#include <vtz/smccc.h>

#include <lib/fmt.h>

#include "guest.h"

/*
 * Shared memory sits at a fixed address in both homes: the TEE only
 * accepts addresses in 0x40000000-0x40ffffff (tee/tee.h), which is this
 * VM's RAM under vTZ and, natively, RAM above QEMU's DTB that nothing
 * else uses (the native build itself is linked at 0x48000000).
 */
#define SHM_BASE 0x40c00000UL
#define PAGE 4096UL
#define ARG_PA (SHM_BASE + 0 * PAGE)      /* the message, like the driver's private page */
#define LIST_PA (SHM_BASE + 1 * PAGE)     /* page list of the registered buffer */
#define BADLIST_PA (SHM_BASE + 2 * PAGE)  /* page lists for the refusals */
#define TMEM_PA (SHM_BASE + 3 * PAGE)     /* contiguous, never registered: tmem */
/* A second call's message and tmems, while the first is out for an RPC (16..18). */
#define ARG2_PA (SHM_BASE + 16 * PAGE)
#define IN2_PA (SHM_BASE + 17 * PAGE)
#define OUT2_PA (SHM_BASE + 18 * PAGE)
/* The registered buffer's pages, out of order and apart (pages 4..15 hold them). */
static const uint64_t shm_pages[] = { SHM_BASE + 12 * PAGE, SHM_BASE + 5 * PAGE,
				      SHM_BASE + 14 * PAGE, SHM_BASE + 8 * PAGE };
#define SHM_NPAGES (sizeof(shm_pages) / sizeof(shm_pages[0]))
#define SHM_OFFSET 0x100UL /* the buffer starts this far into its first page */
#define SHM_SIZE (SHM_NPAGES * PAGE - SHM_OFFSET - 0x300UL)
#define SHM_COOKIE 0xffff000012345600UL /* what the driver passes: its struct tee_shm * */

/* The TEE's own RAM (a guest TEE's IPA; natively its physical address). */
#define TEE_RAM 0x0e100000UL

/* Linux's device-enumeration pseudo-TA, which our TEE does not have. */
static const uint8_t pta_devices_uuid[16] = { 0x70, 0x11, 0xa6, 0x88, 0xdd, 0xde, 0x40, 0x53,
					      0xa5, 0xa9, 0x7b, 0x3c, 0x4d, 0xdf, 0x13, 0xb8 };
static const uint8_t echo_uuid[16] = VTZ_TA_ECHO_UUID;
static const uint8_t store_uuid[16] = VTZ_TA_STORE_UUID;
static const uint8_t key_uuid[16] = VTZ_TA_KEY_UUID;

static struct optee_msg_arg *const arg = (struct optee_msg_arg *)ARG_PA;
static unsigned int checks, rpcs;
/* Run once at the next RPC (thread = the one out for it), before resuming it. */
static void (*during_rpc)(uint64_t thread);

void guest_power_off(void)
{
	struct smc_regs r = { .x = { PSCI_SYSTEM_OFF } };

	gprintf("powering off (PSCI SYSTEM_OFF)\n");
	guest_smc(&r);
	for (;;)
		;
}

void guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	gprintf("FATAL: unexpected exception at EL1: ESR=0x%llx ELR=0x%llx FAR=0x%llx\n",
		(unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}

#define CHECK(cond, fmt, ...)                                                            \
	do {                                                                             \
		if (!(cond)) {                                                           \
			gprintf("FATAL: optee check failed: " fmt "\n", ##__VA_ARGS__);  \
			return -1;                                                       \
		}                                                                        \
		checks++;                                                                \
	} while (0)

static const char *err_name(uint32_t ret)
{
	switch (ret) {
	case TEEC_SUCCESS:
		return "SUCCESS";
	case TEEC_ERROR_ITEM_NOT_FOUND:
		return "ITEM_NOT_FOUND";
	case TEEC_ERROR_BAD_PARAMETERS:
		return "BAD_PARAMETERS";
	case TEEC_ERROR_SHORT_BUFFER:
		return "SHORT_BUFFER";
	case TEEC_ERROR_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	default:
		return "other";
	}
}

static const char *origin_name(uint32_t o)
{
	return o == TEEC_ORIGIN_TEE ? "TEE" : o == TEEC_ORIGIN_TRUSTED_APP ? "TA" : "?";
}

static uint64_t fast(uint32_t fid, uint64_t a1, struct smc_regs *out)
{
	*out = (struct smc_regs){ .x = { fid, a1 } };
	guest_smc(out);
	return out->x[0];
}

/* The buffer's [off, off + len) through its pages, as the TEE will see it. */
static void shm_access(uint64_t off, uint8_t *buf, uint64_t len, bool write)
{
	uint64_t pos = SHM_OFFSET + off;

	while (len) {
		uint64_t in = pos % PAGE, chunk = PAGE - in;
		uint8_t *p = (uint8_t *)(shm_pages[pos / PAGE] + in);

		if (chunk > len)
			chunk = len;
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		buf += chunk;
		pos += chunk;
		len -= chunk;
	}
}

/*
 * OPTEE_SMC_CALL_WITH_ARG and the driver's RPC loop: on RETURN_RPC_*,
 * do what is asked (a foreign interrupt: nothing to take here) and resume
 * with RETURN_FROM_RPC, a1..a3 as returned. Returns the final a0.
 */
static uint64_t call_with_arg(uint64_t pa)
{
	struct smc_regs r = { .x = { OPTEE_SMC_CALL_WITH_ARG, pa >> 32, pa & 0xffffffffUL } };

	for (;;) {
		guest_smc(&r);
		if (!OPTEE_SMC_RETURN_IS_RPC((uint32_t)r.x[0]))
			return r.x[0];
		if ((r.x[0] & OPTEE_SMC_RETURN_RPC_FUNC_MASK) != OPTEE_SMC_RPC_FUNC_FOREIGN_INTR)
			gprintf("FATAL: unexpected RPC 0x%llx\n", (unsigned long long)r.x[0]);
		rpcs++;
		if (during_rpc) {
			void (*fn)(uint64_t thread) = during_rpc;

			during_rpc = NULL; /* once: fn may make calls of its own */
			fn(r.x[3]);
		}
		r.x[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
	}
}

/*
 * During an RPC of thread mine: a new call runs on another thread (here a
 * message at a bad address: EBADADDR), and resuming a thread that is not
 * suspended, or does not exist, must fail.
 */
static void probe_busy_thread(uint64_t mine)
{
	uint64_t free_id = (mine + 1) % VTZ_TEE_THREAD_COUNT;
	struct smc_regs b = { .x = { OPTEE_SMC_CALL_WITH_ARG, 0, 1 } };
	struct smc_regs e = { .x = { OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0, free_id } };
	struct smc_regs n = { .x = { OPTEE_SMC_CALL_RETURN_FROM_RPC, 0, 0,
				     VTZ_TEE_THREAD_COUNT } };

	guest_smc(&b);
	guest_smc(&e);
	guest_smc(&n);
	gprintf("optee: during an RPC of thread %llu: new call -> 0x%llx (another "
		"thread: EBADADDR %s), resume of free thread %llu -> 0x%llx (ERESUME "
		"%s), of thread %u -> 0x%llx (ERESUME %s)\n",
		(unsigned long long)mine, (unsigned long long)b.x[0],
		b.x[0] == OPTEE_SMC_RETURN_EBADADDR ? "ok" : "WRONG",
		(unsigned long long)free_id, (unsigned long long)e.x[0],
		e.x[0] == OPTEE_SMC_RETURN_ERESUME ? "ok" : "WRONG",
		VTZ_TEE_THREAD_COUNT, (unsigned long long)n.x[0],
		n.x[0] == OPTEE_SMC_RETURN_ERESUME ? "ok" : "WRONG");
	if (b.x[0] != OPTEE_SMC_RETURN_EBADADDR || e.x[0] != OPTEE_SMC_RETURN_ERESUME ||
	    n.x[0] != OPTEE_SMC_RETURN_ERESUME)
		gprintf("FATAL: busy-thread checks failed\n");
	checks += 3;
}

#define COPY_SIZE 3000
static uint32_t echo_session; /* for the call on another thread */
static uint32_t other_ret;
static bool other_ok;

/*
 * During an RPC of a YIELD_MEM call: an ECHO_MEM call with other data on
 * another thread, its own message and tmems. When it is done, the waiting
 * call's copy of its input is still to be echoed: a TEE that shared one
 * bounce area among its threads would have overwritten or wiped it.
 */
static void echo_on_another_thread(uint64_t mine)
{
	struct optee_msg_arg *a2 = (struct optee_msg_arg *)ARG2_PA;
	uint64_t smc;

	(void)mine;
	memset(a2, 0, OPTEE_MSG_GET_ARG_SIZE(3));
	a2->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	a2->session = echo_session;
	a2->func = VTZ_TA_ECHO_CMD_ECHO_MEM;
	a2->num_params = 3;
	a2->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
	a2->params[0].u.tmem.buf_ptr = IN2_PA;
	a2->params[0].u.tmem.size = COPY_SIZE;
	a2->params[1].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT;
	a2->params[1].u.tmem.buf_ptr = OUT2_PA;
	a2->params[1].u.tmem.size = COPY_SIZE;
	a2->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	memset((void *)IN2_PA, 0xee, COPY_SIZE);
	memset((void *)OUT2_PA, 0, COPY_SIZE);
	smc = call_with_arg(ARG2_PA);
	other_ret = a2->ret;
	other_ok = smc == OPTEE_SMC_RETURN_OK && a2->ret == TEEC_SUCCESS &&
		   !memcmp((void *)IN2_PA, (void *)OUT2_PA, COPY_SIZE);
}

static void msg_init(uint32_t cmd, uint32_t session, uint32_t func, uint32_t num_params)
{
	memset(arg, 0, OPTEE_MSG_GET_ARG_SIZE(VTZ_MSG_MAX_PARAMS));
	arg->cmd = cmd;
	arg->session = session;
	arg->func = func;
	arg->num_params = num_params;
	arg->ret = 0xdeadbeef; /* the TEE must always overwrite it */
}

static void set_value(unsigned int i, uint64_t attr, uint64_t a, uint64_t b, uint64_t c)
{
	arg->params[i].attr = attr;
	arg->params[i].u.value.a = a;
	arg->params[i].u.value.b = b;
	arg->params[i].u.value.c = c;
}

static void set_rmem(unsigned int i, uint64_t attr, uint64_t offs, uint64_t size)
{
	arg->params[i].attr = attr;
	arg->params[i].u.rmem.offs = offs;
	arg->params[i].u.rmem.size = size;
	arg->params[i].u.rmem.shm_ref = SHM_COOKIE;
}

static void set_tmem(unsigned int i, uint64_t attr, uint64_t pa, uint64_t size)
{
	arg->params[i].attr = attr;
	arg->params[i].u.tmem.buf_ptr = pa;
	arg->params[i].u.tmem.size = size;
	arg->params[i].u.tmem.shm_ref = 0;
}

/* OPEN_SESSION with the UUID as its 16 octets in value.a/b, like the driver. */
static uint32_t open_session(const uint8_t uuid[16], uint32_t *session)
{
	uint64_t smc;

	msg_init(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2);
	arg->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	memcpy(&arg->params[0].u.value, uuid, 16);
	arg->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;
	arg->params[1].u.value.c = OPTEE_MSG_LOGIN_REE_KERNEL;
	smc = call_with_arg(ARG_PA);
	if (smc != OPTEE_SMC_RETURN_OK)
		return TEEC_ERROR_COMMUNICATION;
	*session = arg->session;
	return arg->ret;
}

static int close_session(uint32_t session, const char *ta)
{
	msg_init(OPTEE_MSG_CMD_CLOSE_SESSION, session, 0, 0);
	CHECK(call_with_arg(ARG_PA) == OPTEE_SMC_RETURN_OK && arg->ret == TEEC_SUCCESS,
	      "close %s session: ret 0x%x", ta, arg->ret);
	/* The session is gone: invoking it again is refused. */
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, session, 0, 0);
	call_with_arg(ARG_PA);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "closed session still answers");
	gprintf("optee: %s session %u closed; invoking it again -> %s\n", ta, session,
		err_name(arg->ret));
	return 0;
}

static uint64_t invoke(uint32_t session, uint32_t func, uint32_t num_params)
{
	arg->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	arg->session = session;
	arg->func = func;
	arg->num_params = num_params;
	arg->ret = 0xdeadbeef;
	arg->ret_origin = 0;
	return call_with_arg(ARG_PA);
}

static int probe(void)
{
	struct smc_regs r;
	unsigned int i;

	fast(OPTEE_SMC_CALLS_UID, 0, &r);
	CHECK(r.x[0] == OPTEE_MSG_UID_0 && r.x[1] == OPTEE_MSG_UID_1 &&
	      r.x[2] == OPTEE_MSG_UID_2 && r.x[3] == OPTEE_MSG_UID_3, "API UID");
	fast(OPTEE_SMC_CALL_GET_OS_REVISION, 0, &r);
	gprintf("optee: OS revision %llu.%llu\n", (unsigned long long)r.x[0],
		(unsigned long long)r.x[1]);
	fast(OPTEE_SMC_CALLS_REVISION, 0, &r);
	CHECK(r.x[0] == OPTEE_MSG_REVISION_MAJOR && (int64_t)r.x[1] >= OPTEE_MSG_REVISION_MINOR,
	      "API revision %llu.%llu", (unsigned long long)r.x[0], (unsigned long long)r.x[1]);
	fast(OPTEE_SMC_CALL_GET_OS_UUID, 0, &r);
	CHECK(r.x[0] == OPTEE_MSG_OS_OPTEE_UUID_0 && r.x[3] == OPTEE_MSG_OS_OPTEE_UUID_3,
	      "OS UUID");
	fast(OPTEE_SMC_EXCHANGE_CAPABILITIES, OPTEE_SMC_NSEC_CAP_UNIPROCESSOR, &r);
	CHECK(r.x[0] == OPTEE_SMC_RETURN_OK && (r.x[1] & OPTEE_SMC_SEC_CAP_DYNAMIC_SHM) &&
	      !(r.x[1] & OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM), "capabilities 0x%llx",
	      (unsigned long long)r.x[1]);
	gprintf("optee: capabilities 0x%llx: dynamic shared memory, no reserved shared memory\n",
		(unsigned long long)r.x[1]);
	/* The driver empties the TEE's shm cache until it says ENOTAVAIL. */
	for (i = 0; i < 8 && fast(OPTEE_SMC_DISABLE_SHM_CACHE, 0, &r) == OPTEE_SMC_RETURN_OK; i++)
		;
	CHECK(r.x[0] == OPTEE_SMC_RETURN_ENOTAVAIL, "DISABLE_SHM_CACHE 0x%llx",
	      (unsigned long long)r.x[0]);
	CHECK(fast(OPTEE_SMC_ENABLE_SHM_CACHE, 0, &r) == OPTEE_SMC_RETURN_OK, "ENABLE_SHM_CACHE");
	CHECK(fast(OPTEE_SMC_GET_THREAD_COUNT, 0, &r) == OPTEE_SMC_RETURN_OK &&
		      r.x[1] == VTZ_TEE_THREAD_COUNT,
	      "thread count");
	fast(OPTEE_SMC_CALLS_COUNT, 0, &r);
	gprintf("optee: probe ok: API UID and revision 2.0, shm cache empty (ENOTAVAIL), "
		"%u threads, %llu calls\n", VTZ_TEE_THREAD_COUNT, (unsigned long long)r.x[0]);
	return 0;
}

/* REGISTER_SHM with a page list, as optee_shm_register() builds it. */
static uint64_t register_shm(uint64_t list_pa, uint64_t offset, uint64_t size, uint64_t cookie)
{
	msg_init(OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1);
	arg->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	arg->params[0].u.tmem.buf_ptr = list_pa | offset;
	arg->params[0].u.tmem.size = size;
	arg->params[0].u.tmem.shm_ref = cookie;
	return call_with_arg(ARG_PA);
}

static int register_buffer(void)
{
	uint64_t *list = (uint64_t *)LIST_PA;
	unsigned int i;

	memset(list, 0, PAGE);
	for (i = 0; i < SHM_NPAGES; i++)
		list[i] = shm_pages[i];
	CHECK(register_shm(LIST_PA, SHM_OFFSET, SHM_SIZE, SHM_COOKIE) == OPTEE_SMC_RETURN_OK &&
	      arg->ret == TEEC_SUCCESS, "REGISTER_SHM: ret 0x%x", arg->ret);
	gprintf("optee: registered %lu bytes at offset 0x%lx of %u non-adjacent pages "
		"0x%llx 0x%llx 0x%llx 0x%llx\n", (unsigned long)SHM_SIZE,
		(unsigned long)SHM_OFFSET, (unsigned int)SHM_NPAGES,
		(unsigned long long)shm_pages[0], (unsigned long long)shm_pages[1],
		(unsigned long long)shm_pages[2], (unsigned long long)shm_pages[3]);
	return 0;
}

static int echo_ta(void)
{
	static uint8_t in[6000], out[6000];
	const uint64_t in_off = 0, out_off = 7000;
	uint64_t sum = 0;
	uint32_t s = 0, ret;
	unsigned int i;

	ret = open_session(echo_uuid, &s);
	CHECK(ret == TEEC_SUCCESS && s, "open echo TA: 0x%x", ret);
	gprintf("optee: echo TA session %u opened\n", s);

	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 1);
	set_value(0, OPTEE_MSG_ATTR_TYPE_VALUE_INOUT, 0x1122334455667788UL, 42, 7);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO, 1);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[0].u.value.a == 0x1122334455667788UL &&
	      arg->params[0].u.value.b == 42, "echo value");
	gprintf("optee: echo TA: echo 0x%llx -> 0x%llx\n", 0x1122334455667788ULL,
		(unsigned long long)arg->params[0].u.value.a);

	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_value(0, OPTEE_MSG_ATTR_TYPE_VALUE_INPUT, 0x1234, 0x5678, 0);
	set_value(1, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0, 0);
	invoke(s, VTZ_TA_ECHO_CMD_ADD, 2);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[1].u.value.a == 0x68ac, "add");
	gprintf("optee: echo TA: add 0x1234 + 0x5678 = 0x%llx\n",
		(unsigned long long)arg->params[1].u.value.a);

	/* 6000 bytes in across 3 pages, 6000 out across 3 others (overlapping one). */
	for (i = 0; i < sizeof(in); i++) {
		in[i] = (uint8_t)(i * 7 + 3);
		sum += in[i];
	}
	shm_access(in_off, in, sizeof(in), true);
	memset(out, 0, sizeof(out));
	shm_access(out_off, out, sizeof(out), true);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 3);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, in_off, sizeof(in));
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, out_off, sizeof(out));
	set_value(2, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0, 0);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	shm_access(out_off, out, sizeof(out), false);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[1].u.rmem.size == sizeof(in) &&
	      arg->params[2].u.value.a == sum && !memcmp(in, out, sizeof(in)),
	      "echo memref: ret 0x%x size %llu sum 0x%llx", arg->ret,
	      (unsigned long long)arg->params[1].u.rmem.size,
	      (unsigned long long)arg->params[2].u.value.a);
	gprintf("optee: echo TA: memref of %u bytes over non-contiguous pages echoed intact "
		"(sum 0x%llx)\n", (unsigned int)sizeof(in), (unsigned long long)sum);

	/* Too small an output: SHORT_BUFFER, and the size needed. */
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, out_off, 100);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	CHECK(arg->ret == TEEC_ERROR_SHORT_BUFFER && arg->params[1].u.rmem.size == sizeof(in) &&
	      arg->ret_origin == TEEC_ORIGIN_TRUSTED_APP, "short buffer: ret 0x%x size %llu",
	      arg->ret, (unsigned long long)arg->params[1].u.rmem.size);
	gprintf("optee: echo TA: 100-byte output -> %s (origin %s), size needed %llu\n",
		err_name(arg->ret), origin_name(arg->ret_origin),
		(unsigned long long)arg->params[1].u.rmem.size);

	/* The RPC path: the TA leaves three times with RPC_FOREIGN_INTR. */
	rpcs = 0;
	during_rpc = probe_busy_thread;
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 1);
	set_value(0, OPTEE_MSG_ATTR_TYPE_VALUE_INOUT, 3, 0, 0);
	invoke(s, VTZ_TA_ECHO_CMD_YIELD, 1);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[0].u.value.b == 3 && rpcs == 3,
	      "yield: ret 0x%x resumes %llu rpcs %u", arg->ret,
	      (unsigned long long)arg->params[0].u.value.b, rpcs);
	gprintf("optee: RPC: %u x RETURN_RPC_FOREIGN_INTR served, the call resumed each time "
		"with RETURN_FROM_RPC and finished (TA counted %llu)\n", rpcs,
		(unsigned long long)arg->params[0].u.value.b);

	/*
	 * A call keeps memref copies across its RPCs while another call,
	 * on another thread, uses memrefs of its own: the first call's data
	 * must come back intact.
	 */
	for (i = 0; i < COPY_SIZE; i++)
		in[i] = (uint8_t)(i * 31 + 5);
	memcpy((void *)TMEM_PA, in, COPY_SIZE);
	memset(out, 0, COPY_SIZE);
	shm_access(out_off, out, COPY_SIZE, true);
	rpcs = 0;
	other_ok = false;
	echo_session = s;
	during_rpc = echo_on_another_thread;
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 3);
	set_value(0, OPTEE_MSG_ATTR_TYPE_VALUE_INOUT, 2, 0, 0);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, COPY_SIZE);
	set_rmem(2, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, out_off, COPY_SIZE);
	invoke(s, VTZ_TA_ECHO_CMD_YIELD_MEM, 3);
	shm_access(out_off, out, COPY_SIZE, false);
	CHECK(other_ok, "call on another thread during the RPC: ret 0x%x", other_ret);
	CHECK(arg->ret == TEEC_SUCCESS && rpcs == 2 && arg->params[2].u.rmem.size == COPY_SIZE &&
	      !memcmp(in, out, COPY_SIZE),
	      "yield with memrefs: ret 0x%x rpcs %u size %llu, data %s", arg->ret, rpcs,
	      (unsigned long long)arg->params[2].u.rmem.size,
	      memcmp(in, out, COPY_SIZE) ? "CORRUPTED" : "intact");
	gprintf("optee: RPC: a %u-byte memref copy held across %u RPCs outlived an echo of "
		"%u other bytes on another thread, intact\n", COPY_SIZE, rpcs, COPY_SIZE);
	return close_session(s, "echo");
}

static int store_ta(uint64_t id)
{
	static const char key[] = "same-key";
	char value[40], got[64], mine[16];
	uint32_t s = 0, ret, vlen;
	uint8_t *t = (uint8_t *)TMEM_PA;

	ret = open_session(store_uuid, &s);
	CHECK(ret == TEEC_SUCCESS, "open store TA: 0x%x", ret);
	/* Every VM stores its own value under the same key. */
	vlen = (uint32_t)fmt_snprintf(value, sizeof(value), "value of vm%llu",
				       (unsigned long long)id);
	memcpy(t, key, sizeof(key) - 1);
	memcpy(t + 64, value, vlen);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, sizeof(key) - 1);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA + 64, vlen);
	invoke(s, VTZ_TA_STORE_CMD_PUT, 2);
	CHECK(arg->ret == TEEC_SUCCESS, "put: 0x%x", arg->ret);
	gprintf("optee: store TA: put \"%s\" = \"%s\"\n", key, value);
	/* And a key only this VM uses. */
	fmt_snprintf(mine, sizeof(mine), "vm%llu-only", (unsigned long long)id);
	memcpy(t, mine, strlen(mine));
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, strlen(mine));
	invoke(s, VTZ_TA_STORE_CMD_PUT, 2);
	CHECK(arg->ret == TEEC_SUCCESS, "put 2: 0x%x", arg->ret);

	/* Read back with too small a buffer first (rmem this time). */
	memcpy(t, key, sizeof(key) - 1);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, sizeof(key) - 1);
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 4000, 4);
	invoke(s, VTZ_TA_STORE_CMD_GET, 2);
	CHECK(arg->ret == TEEC_ERROR_SHORT_BUFFER && arg->params[1].u.rmem.size == vlen,
	      "short get: 0x%x", arg->ret);
	gprintf("optee: store TA: get into 4 bytes -> %s, size needed %llu\n", err_name(arg->ret),
		(unsigned long long)arg->params[1].u.rmem.size);
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 4000, sizeof(got) - 1);
	invoke(s, VTZ_TA_STORE_CMD_GET, 2);
	memset(got, 0, sizeof(got));
	shm_access(4000, (uint8_t *)got, arg->params[1].u.rmem.size < sizeof(got) ?
					 arg->params[1].u.rmem.size : 0, false);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[1].u.rmem.size == vlen &&
	      !memcmp(got, value, vlen), "get: 0x%x", arg->ret);
	gprintf("optee: store TA: get \"%s\" -> \"%s\"\n", key, got);

	/* Delete, then it is gone. */
	memcpy(t, mine, strlen(mine));
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 1);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, strlen(mine));
	invoke(s, VTZ_TA_STORE_CMD_DELETE, 1);
	CHECK(arg->ret == TEEC_SUCCESS, "delete: 0x%x", arg->ret);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, strlen(mine));
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 4000, 32);
	invoke(s, VTZ_TA_STORE_CMD_GET, 2);
	CHECK(arg->ret == TEEC_ERROR_ITEM_NOT_FOUND, "get after delete: 0x%x", arg->ret);
	gprintf("optee: store TA: deleted \"%s\"; get -> %s\n", mine, err_name(arg->ret));
	/* Put it back for the cross-VM check at the end. */
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, strlen(mine));
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA + 64, vlen);
	invoke(s, VTZ_TA_STORE_CMD_PUT, 2);
	return close_session(s, "store");
}

/*
 * Run last, after every other VM had time to store its items: the
 * same key gives back my value, another VM's key is not found. Both
 * would differ if the TEEs shared one store.
 */
static int store_isolation(uint64_t id)
{
	static const char key[] = "same-key";
	char value[40], got[64], other[16];
	uint32_t s = 0, vlen;
	uint8_t *t = (uint8_t *)TMEM_PA;

	CHECK(open_session(store_uuid, &s) == TEEC_SUCCESS, "open store TA again");
	vlen = (uint32_t)fmt_snprintf(value, sizeof(value), "value of vm%llu",
				       (unsigned long long)id);
	memcpy(t, key, sizeof(key) - 1);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 2);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, sizeof(key) - 1);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, TMEM_PA + 64, sizeof(got) - 1);
	invoke(s, VTZ_TA_STORE_CMD_GET, 2);
	memset(got, 0, sizeof(got));
	if (arg->ret == TEEC_SUCCESS && arg->params[1].u.tmem.size < sizeof(got))
		memcpy(got, t + 64, arg->params[1].u.tmem.size);
	CHECK(arg->ret == TEEC_SUCCESS && !memcmp(got, value, vlen + 1),
	      "same key after the others: \"%s\"", got);
	gprintf("optee: isolation: \"%s\" in my TEE is still \"%s\"\n", key, got);
	fmt_snprintf(other, sizeof(other), "vm%llu-only", (unsigned long long)((id + 1) % 4));
	memcpy(t, other, strlen(other));
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, strlen(other));
	invoke(s, VTZ_TA_STORE_CMD_GET, 2);
	CHECK(arg->ret == TEEC_ERROR_ITEM_NOT_FOUND, "other VM's key: 0x%x", arg->ret);
	gprintf("optee: isolation: get \"%s\" (another VM's item) -> %s\n", other,
		err_name(arg->ret));
	return close_session(s, "store");
}

static int key_ta(void)
{
	static const char msg[] = "vTZ OP-TEE key TA test message";
	uint8_t tag[VTZ_TA_KEY_TAG_SIZE];
	uint32_t s = 0, ret;
	unsigned int i;

	ret = open_session(key_uuid, &s);
	CHECK(ret == TEEC_SUCCESS, "open key TA: 0x%x", ret);
	memcpy((void *)TMEM_PA, msg, sizeof(msg) - 1);
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 3);
	set_value(0, OPTEE_MSG_ATTR_TYPE_VALUE_INPUT, 1, 0, 0);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TMEM_PA, sizeof(msg) - 1);
	set_rmem(2, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 9000, 16);
	invoke(s, VTZ_TA_KEY_CMD_MAC, 3);
	CHECK(arg->ret == TEEC_ERROR_SHORT_BUFFER && arg->params[2].u.rmem.size == 32,
	      "short tag: 0x%x", arg->ret);
	gprintf("optee: key TA: 16-byte tag buffer -> %s, size needed %llu\n", err_name(arg->ret),
		(unsigned long long)arg->params[2].u.rmem.size);
	set_rmem(2, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 9000, 64);
	invoke(s, VTZ_TA_KEY_CMD_MAC, 3);
	CHECK(arg->ret == TEEC_SUCCESS && arg->params[2].u.rmem.size == 32, "mac: 0x%x",
	      arg->ret);
	shm_access(9000, tag, sizeof(tag), false);
	gprintf("optee: key TA: index 1 message \"%s\" tag ", msg);
	for (i = 0; i < sizeof(tag); i++)
		uart_printf(PLAT_UART0_BASE, "%02x", tag[i]);
	uart_printf(PLAT_UART0_BASE, "\n");
	return close_session(s, "key");
}

/* Messages a hostile or buggy normal world might send: each must be refused. */
static int bad_inputs(void)
{
	uint64_t *bad = (uint64_t *)BADLIST_PA;
	uint32_t s = 0, ret;
	uint64_t smc;

	ret = open_session(pta_devices_uuid, &s);
	CHECK(ret == TEEC_ERROR_ITEM_NOT_FOUND && arg->ret_origin == TEEC_ORIGIN_TEE,
	      "unknown TA: 0x%x", ret);
	gprintf("optee: bad input: open unknown TA 7011a688-ddde-4053-a5a9-7b3c4ddf13b8 -> %s "
		"(origin %s)\n", err_name(ret), origin_name(arg->ret_origin));

	ret = open_session(echo_uuid, &s);
	CHECK(ret == TEEC_SUCCESS, "reopen echo TA");
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 0);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO, 7);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS && arg->ret_origin == TEEC_ORIGIN_TEE,
	      "7 params: 0x%x", arg->ret);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO, 0xffffffffU);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "0xffffffff params: 0x%x", arg->ret);
	gprintf("optee: bad input: num_params 7 and 0xffffffff -> %s (origin %s)\n",
		err_name(arg->ret), origin_name(arg->ret_origin));

	/* A tmem naming the TEE's own memory, and one running off the end of RAM. */
	msg_init(OPTEE_MSG_CMD_INVOKE_COMMAND, s, 0, 3);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TEE_RAM, 64);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, TMEM_PA, 64);
	set_value(2, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0, 0);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "tmem into the TEE: 0x%x", arg->ret);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 0x40fff000UL, 0xffffffffffff0000UL);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "wrapping tmem: 0x%x", arg->ret);
	gprintf("optee: bad input: tmem at the TEE's RAM 0x%lx, tmem wrapping past the end "
		"-> %s\n", TEE_RAM, err_name(arg->ret));

	/* rmem: unknown buffer, and beyond the registered size. */
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, 16);
	arg->params[0].u.rmem.shm_ref = 0xbad;
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "unknown shm: 0x%x", arg->ret);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, SHM_SIZE - 8, 16);
	invoke(s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "rmem past the end: 0x%x", arg->ret);
	gprintf("optee: bad input: rmem of an unknown buffer, rmem past its end -> %s\n",
		err_name(arg->ret));

	/* Registration whose page list names the TEE's memory, or an unaligned page. */
	memset(bad, 0, PAGE);
	bad[0] = shm_pages[0];
	bad[1] = TEE_RAM;
	smc = register_shm(BADLIST_PA, 0, 2 * PAGE, 0x777);
	CHECK(smc == OPTEE_SMC_RETURN_OK && arg->ret == TEEC_ERROR_BAD_PARAMETERS,
	      "register TEE page: 0x%x", arg->ret);
	bad[1] = shm_pages[1] + 8;
	register_shm(BADLIST_PA, 0, 2 * PAGE, 0x777);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "register unaligned page: 0x%x", arg->ret);
	register_shm(BADLIST_PA, 0, 1 << 30, 0x777);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "register 1 GiB: 0x%x", arg->ret);
	register_shm(LIST_PA, SHM_OFFSET, SHM_SIZE, SHM_COOKIE);
	CHECK(arg->ret == TEEC_ERROR_BAD_PARAMETERS, "register twice: 0x%x", arg->ret);
	gprintf("optee: bad input: page lists naming TEE memory, an unaligned page, 1 GiB, "
		"a cookie twice -> %s\n", err_name(arg->ret));

	/* The message itself outside RAM, misaligned; an unknown command. */
	smc = call_with_arg(TEE_RAM);
	CHECK(smc == OPTEE_SMC_RETURN_EBADADDR, "arg in TEE RAM: 0x%llx",
	      (unsigned long long)smc);
	smc = call_with_arg(ARG_PA + 4);
	CHECK(smc == OPTEE_SMC_RETURN_EBADADDR, "misaligned arg: 0x%llx",
	      (unsigned long long)smc);
	msg_init(0x77, 0, 0, 0);
	smc = call_with_arg(ARG_PA);
	CHECK(smc == OPTEE_SMC_RETURN_EBADCMD, "unknown cmd: 0x%llx", (unsigned long long)smc);
	gprintf("optee: bad input: message in TEE RAM or misaligned -> EBADADDR, "
		"unknown command -> EBADCMD\n");
	return close_session(s, "echo");
}

static int unregister_buffer(void)
{
	msg_init(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	arg->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	arg->params[0].u.rmem.shm_ref = SHM_COOKIE;
	call_with_arg(ARG_PA);
	CHECK(arg->ret == TEEC_SUCCESS, "unregister: 0x%x", arg->ret);
	call_with_arg(ARG_PA);
	CHECK(arg->ret == TEEC_ERROR_ITEM_NOT_FOUND, "unregister twice: 0x%x", arg->ret);
	gprintf("optee: unregistered the buffer; again -> %s\n", err_name(arg->ret));
	return 0;
}

/* Time for the other VMs to store their items before the isolation check. */
static void let_others_run(void)
{
	struct smc_regs r;
	unsigned int i;

	for (i = 0; i < 300; i++)
		fast(VTZ_SMC_TEE_NULL, i, &r);
}

void guest_main(uint64_t boot_arg)
{
#ifdef VTZ_NATIVE
	uint64_t id = 0; /* x0 is the DTB here; one normal world */
	(void)boot_arg;
#else
	uint64_t id = boot_arg;
#endif

	gprintf("OP-TEE client guest: probing my TEE like Linux's optee driver\n");
	if (probe() || register_buffer() || echo_ta() || store_ta(id) || key_ta() ||
	    bad_inputs())
		return;
	let_others_run();
	if (store_isolation(id) || unregister_buffer())
		return;
	gprintf("optee: all %u checks passed\n", checks);
}
