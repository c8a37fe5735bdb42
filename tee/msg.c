/* SPDX-License-Identifier: MIT */
/*
 * OP-TEE message protocol, TEE side: one struct optee_msg_arg in, its
 * results out. Everything the normal world wrote is untrusted: the header
 * and parameters are copied into TEE memory once and only the copies are
 * used (no double fetch); every address must lie in the view of the
 * normal world's RAM; every count and size is bounded before it is used
 * in arithmetic; page-list walks are bounded by the registered size.
 * Memref contents of up to VTZ_MSG_COPY_MAX bytes reach a TA as copies in
 * TEE memory (the calling thread's own bounce area), so a TA never reads
 * memory the normal world can change under it, nor copies another call
 * can overwrite while it is out for an RPC. Larger ones (up to megabytes:
 * no TEE has that much RAM per thread) are streamed: the TA copies them in
 * bounded chunks into its own memory and acts only on those copies
 * (ta_memref_read/_write). Hardware-free (tee/msg.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>

#include "msg.h"

#define MSG_PAGE_SIZE ((uint64_t)OPTEE_MSG_NONCONTIG_PAGE_SIZE)
#define MSG_PAGE_MASK (MSG_PAGE_SIZE - 1)

/* Host pointer to [pa, pa + len) if all of it is in the view, else NULL. */
static uint8_t *ns_ptr(const struct msg_view *v, uint64_t pa, uint64_t len)
{
	uint64_t off;

	if (pa < v->pa_base)
		return NULL;
	off = pa - v->pa_base;
	if (off > v->size || len > v->size - off)
		return NULL;
	return v->host_base + off;
}

static int ns_read(const struct msg_view *v, uint64_t pa, void *dst, uint64_t len)
{
	uint8_t *p = ns_ptr(v, pa, len);

	if (!p)
		return -1;
	memcpy(dst, p, len);
	return 0;
}

static int ns_write(const struct msg_view *v, uint64_t pa, const void *src, uint64_t len)
{
	uint8_t *p = ns_ptr(v, pa, len);

	if (!p)
		return -1;
	memcpy(p, src, len);
	return 0;
}

void msg_ctx_init(struct msg_ctx *ctx)
{
	memset(ctx->shm, 0, sizeof(ctx->shm));
	memset(ctx->sessions, 0, sizeof(ctx->sessions));
	memset(ctx->pool, 0, sizeof(ctx->pool[0]) * ctx->pool_used);
	ctx->pool_used = 0;
	ctx->next_session = 1;
}

int ta_rpc(struct ta_session *s, uint32_t func)
{
	if (!s->ctx->rpc)
		return -1;
	return s->ctx->rpc(s->ctx->rpc_priv, func);
}

int ta_notify(struct ta_session *s)
{
	if (!s->ctx->notify)
		return -1;
	return s->ctx->notify();
}

/* size bytes of TEE memory for one memref's copy, or NULL if this call has used it up. */
static uint8_t *bounce_alloc(struct msg_bounce *b, uint64_t size)
{
	size_t at = (b->used + 15) & ~(size_t)15;
	uint8_t *p;

	if (at > sizeof(b->buf) || size > sizeof(b->buf) - at)
		return NULL;
	p = b->buf + at;
	b->used = at + size;
	return p;
}

static struct msg_shm *shm_find(struct msg_ctx *ctx, uint64_t cookie)
{
	size_t i;

	if (!cookie)
		return NULL;
	for (i = 0; i < VTZ_MSG_MAX_SHM; i++)
		if (ctx->shm[i].cookie == cookie)
			return &ctx->shm[i];
	return NULL;
}

/*
 * Copy between a registered buffer's [offs, offs + len) and buf, page by
 * page. The caller checked offs + len against the size it registered
 * with; the buffer may have been unregistered since (by another thread,
 * while this call was out for an RPC), so the cookie, the page index and
 * each page's place in the view are checked again here.
 */
static int shm_copy(const struct msg_ctx *ctx, const struct msg_shm *shm, uint64_t cookie,
		    uint64_t offs, uint8_t *buf, uint64_t len, bool to_ns)
{
	uint64_t pos;

	if (shm->cookie != cookie || offs > shm->size || len > shm->size - offs)
		return -1;
	pos = shm->offset + offs;
	while (len) {
		uint64_t idx = pos / MSG_PAGE_SIZE, in = pos & MSG_PAGE_MASK;
		uint64_t chunk = MSG_PAGE_SIZE - in;
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		if (idx >= shm->npages)
			return -1;
		p = ns_ptr(&ctx->view, ctx->pool[shm->first + idx] + in, chunk);
		if (!p)
			return -1;
		if (to_ns)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		buf += chunk;
		pos += chunk;
		len -= chunk;
	}
	return 0;
}

/* [off, off + len) of a memref, the range checked by the caller. */
static int ref_copy(const struct msg_ref *r, uint64_t off, uint8_t *buf, uint64_t len,
		    bool to_ns)
{
	const struct msg_view *v = &r->ctx->view;

	if (!len) /* an empty buffer needs no address */
		return 0;
	if (r->shm)
		return shm_copy(r->ctx, r->shm, r->cookie, r->offs + off, buf, len, to_ns);
	return to_ns ? ns_write(v, r->pa + off, buf, len) : ns_read(v, r->pa + off, buf, len);
}

static bool is_memref(uint32_t type)
{
	return type >= TA_PARAM_MEMREF_INPUT && type <= TA_PARAM_MEMREF_INOUT;
}

static uint32_t memref_access(const struct ta_param *p, uint64_t off, uint8_t *buf,
			      size_t len, bool write)
{
	const struct msg_ref *r = p->u.memref.ref;
	uint32_t need = write ? TA_PARAM_MEMREF_OUTPUT : TA_PARAM_MEMREF_INPUT;

	if (!is_memref(p->type) || !r || (p->type != need && p->type != TA_PARAM_MEMREF_INOUT))
		return TEEC_ERROR_BAD_PARAMETERS;
	/* The normal world's size bounds it, not what the TA set p's size to. */
	if (off > r->size || len > r->size - off)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (p->u.memref.buf) {
		if (write)
			memcpy(p->u.memref.buf + off, buf, len);
		else
			memcpy(buf, p->u.memref.buf + off, len);
		return TEEC_SUCCESS;
	}
	return ref_copy(r, off, buf, len, write) ? TEEC_ERROR_COMMUNICATION : TEEC_SUCCESS;
}

uint32_t ta_memref_read(const struct ta_param *p, uint64_t off, void *dst, size_t len)
{
	return memref_access(p, off, dst, len, false);
}

uint32_t ta_memref_write(const struct ta_param *p, uint64_t off, const void *src, size_t len)
{
	/* The copy is only read from src; memref_access shares one signature. */
	return memref_access(p, off, (uint8_t *)(uintptr_t)src, len, true);
}

void ta_wipe(void *p, size_t len)
{
	memset(p, 0, len);
	/* p's contents are "used" here: the memset cannot be dropped as dead. */
	__asm__ volatile("" : : "r"(p) : "memory");
}

/*
 * The normal world's parameters mp[0..n) -> the TA's p[0..n), the rest
 * NONE. Returns TEEC_SUCCESS or the error for the whole call.
 */
static uint32_t params_to_ta(struct msg_ctx *ctx, struct msg_bounce *b,
			     const struct optee_msg_param *mp, size_t n,
			     struct ta_param p[VTZ_TA_NUM_PARAMS],
			     struct msg_ref refs[VTZ_TA_NUM_PARAMS])
{
	size_t i;

	memset(p, 0, sizeof(*p) * VTZ_TA_NUM_PARAMS);
	memset(refs, 0, sizeof(*refs) * VTZ_TA_NUM_PARAMS);
	if (n > VTZ_TA_NUM_PARAMS)
		return TEEC_ERROR_BAD_PARAMETERS;
	for (i = 0; i < n; i++) {
		uint64_t attr = mp[i].attr, type = attr & OPTEE_MSG_ATTR_TYPE_MASK;
		struct msg_ref *r = &refs[i];
		uint8_t *buf;

		/* No meta, no page lists, no cache hints, no unknown bits for a TA. */
		if (attr != type)
			return TEEC_ERROR_BAD_PARAMETERS;
		switch (type) {
		case OPTEE_MSG_ATTR_TYPE_NONE:
			p[i].type = TA_PARAM_NONE;
			continue;
		case OPTEE_MSG_ATTR_TYPE_VALUE_INPUT:
		case OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_VALUE_INOUT:
			p[i].type = (uint32_t)type;
			if (type != OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT) {
				p[i].u.value.a = mp[i].u.value.a;
				p[i].u.value.b = mp[i].u.value.b;
				p[i].u.value.c = mp[i].u.value.c;
			}
			continue;
		case OPTEE_MSG_ATTR_TYPE_TMEM_INPUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_INOUT:
			r->pa = mp[i].u.tmem.buf_ptr;
			r->size = mp[i].u.tmem.size;
			if (r->size && !ns_ptr(&ctx->view, r->pa, r->size))
				return TEEC_ERROR_BAD_PARAMETERS;
			p[i].type = (uint32_t)(type - OPTEE_MSG_ATTR_TYPE_TMEM_INPUT +
					       TA_PARAM_MEMREF_INPUT);
			break;
		case OPTEE_MSG_ATTR_TYPE_RMEM_INPUT:
		case OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT:
		case OPTEE_MSG_ATTR_TYPE_RMEM_INOUT:
			r->shm = shm_find(ctx, mp[i].u.rmem.shm_ref);
			r->offs = mp[i].u.rmem.offs;
			r->size = mp[i].u.rmem.size;
			if (!r->shm || r->offs > r->shm->size || r->size > r->shm->size - r->offs)
				return TEEC_ERROR_BAD_PARAMETERS;
			r->cookie = r->shm->cookie;
			p[i].type = (uint32_t)type;
			break;
		default:
			return TEEC_ERROR_BAD_PARAMETERS;
		}
		r->ctx = ctx;
		p[i].u.memref.ref = r;
		p[i].u.memref.size = r->size;
		if (r->size > VTZ_MSG_COPY_MAX)
			continue; /* streamed by the TA: p[i].u.memref.buf stays NULL */
		/* At most 4 of VTZ_MSG_COPY_MAX bytes: this cannot fail. */
		buf = bounce_alloc(b, r->size);
		if (!buf)
			return TEEC_ERROR_OUT_OF_MEMORY;
		if (p[i].type != TA_PARAM_MEMREF_OUTPUT) {
			if (ref_copy(r, 0, buf, r->size, false))
				return TEEC_ERROR_BAD_PARAMETERS;
		} else {
			memset(buf, 0, r->size);
		}
		p[i].u.memref.buf = buf;
	}
	return TEEC_SUCCESS;
}

/*
 * The TA's outputs back into the normal world's parameters (the local
 * copies, written out by the caller) and memrefs. Only after SUCCESS or
 * SHORT_BUFFER, as GlobalPlatform has it; a memref's data only if it fits
 * what the normal world offered, its size always (the size needed, after
 * SHORT_BUFFER).
 */
static uint32_t params_from_ta(struct optee_msg_param *mp, size_t n,
			       const struct ta_param p[VTZ_TA_NUM_PARAMS],
			       const struct msg_ref refs[VTZ_TA_NUM_PARAMS], uint32_t res)
{
	size_t i;

	if (res != TEEC_SUCCESS && res != TEEC_ERROR_SHORT_BUFFER)
		return res;
	for (i = 0; i < n; i++) {
		uint64_t size;

		switch (p[i].type) {
		case TA_PARAM_VALUE_OUTPUT:
		case TA_PARAM_VALUE_INOUT:
			mp[i].u.value.a = p[i].u.value.a;
			mp[i].u.value.b = p[i].u.value.b;
			mp[i].u.value.c = p[i].u.value.c;
			break;
		case TA_PARAM_MEMREF_OUTPUT:
		case TA_PARAM_MEMREF_INOUT:
			size = p[i].u.memref.size;
			/* A streamed memref's data went out as the TA wrote it. */
			if (res == TEEC_SUCCESS && size <= refs[i].size && p[i].u.memref.buf &&
			    ref_copy(&refs[i], 0, p[i].u.memref.buf, size, true))
				return TEEC_ERROR_COMMUNICATION;
			/* tmem and rmem keep the size at the same place. */
			mp[i].u.tmem.size = size;
			break;
		default:
			break;
		}
	}
	return res;
}

static bool is_output(uint32_t type)
{
	return type == TA_PARAM_VALUE_OUTPUT || type == TA_PARAM_VALUE_INOUT ||
	       type == TA_PARAM_MEMREF_OUTPUT || type == TA_PARAM_MEMREF_INOUT;
}

static struct ta_session *session_find(struct msg_ctx *ctx, uint32_t id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < VTZ_MSG_MAX_SESSIONS; i++)
		if (ctx->sessions[i].id == id)
			return &ctx->sessions[i];
	return NULL;
}

static bool login_ok(uint64_t login)
{
	switch (login) {
	case OPTEE_MSG_LOGIN_PUBLIC:
	case OPTEE_MSG_LOGIN_USER:
	case OPTEE_MSG_LOGIN_GROUP:
	case OPTEE_MSG_LOGIN_APPLICATION:
	case OPTEE_MSG_LOGIN_APPLICATION_USER:
	case OPTEE_MSG_LOGIN_APPLICATION_GROUP:
	case OPTEE_MSG_LOGIN_REE_KERNEL:
		return true;
	default:
		return false;
	}
}

/*
 * The state of one call: the copies of the header and parameters (on its
 * thread's stack), and where its memrefs' copies go.
 */
struct msg_call {
	struct msg_bounce *bounce;
	struct optee_msg_arg hdr;
	struct optee_msg_param mp[VTZ_MSG_MAX_PARAMS];
	struct ta_param p[VTZ_TA_NUM_PARAMS];
	struct msg_ref refs[VTZ_TA_NUM_PARAMS];
	size_t first; /* index of the first TA parameter in mp */
	uint32_t origin;
};

static uint32_t cmd_open_session(struct msg_ctx *ctx, struct msg_call *c)
{
	const uint64_t meta = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	const struct ta_ops *ta = NULL;
	struct ta_session *s = NULL;
	uint8_t uuid[16];
	size_t i;
	uint32_t res;

	/* param[0] = the TA's UUID, param[1] = the client's UUID and login. */
	if (c->hdr.num_params < 2 || c->mp[0].attr != meta || c->mp[1].attr != meta ||
	    !login_ok(c->mp[1].u.value.c))
		return TEEC_ERROR_BAD_PARAMETERS;
	memcpy(uuid, &c->mp[0].u.value.a, 8);
	memcpy(uuid + 8, &c->mp[0].u.value.b, 8);
	for (i = 0; i < ctx->num_tas && !ta; i++)
		if (!memcmp(ctx->tas[i]->uuid, uuid, sizeof(uuid)))
			ta = ctx->tas[i];
	if (!ta)
		return TEEC_ERROR_ITEM_NOT_FOUND;
	c->first = 2;
	res = params_to_ta(ctx, c->bounce, c->mp + 2, c->hdr.num_params - 2, c->p, c->refs);
	if (res != TEEC_SUCCESS)
		return res;
	for (i = 0; i < VTZ_MSG_MAX_SESSIONS && !s; i++)
		if (!ctx->sessions[i].id)
			s = &ctx->sessions[i];
	if (!s)
		return TEEC_ERROR_OUT_OF_MEMORY;
	s->id = ctx->next_session++;
	if (!ctx->next_session) /* 0 means "free": skip it when the counter wraps */
		ctx->next_session = 1;
	s->login = (uint32_t)c->mp[1].u.value.c;
	s->ta = ta;
	s->ctx = ctx;
	s->busy = 1; /* its id is guessable before the open returns it */
	res = TEEC_SUCCESS;
	if (ta->open) {
		res = ta->open(s, c->p);
		c->origin = TEEC_ORIGIN_TRUSTED_APP;
	}
	s->busy = 0;
	res = params_from_ta(c->mp + 2, c->hdr.num_params - 2, c->p, c->refs, res);
	if (res != TEEC_SUCCESS) {
		memset(s, 0, sizeof(*s));
		return res;
	}
	c->hdr.session = s->id;
	return TEEC_SUCCESS;
}

static uint32_t cmd_invoke(struct msg_ctx *ctx, struct msg_call *c)
{
	struct ta_session *s = session_find(ctx, c->hdr.session);
	uint32_t res;

	if (!s)
		return TEEC_ERROR_BAD_PARAMETERS;
	res = params_to_ta(ctx, c->bounce, c->mp, c->hdr.num_params, c->p, c->refs);
	if (res != TEEC_SUCCESS)
		return res;
	c->origin = TEEC_ORIGIN_TRUSTED_APP;
	s->busy++;
	res = s->ta->invoke(s, c->hdr.func, c->p);
	s->busy--;
	return params_from_ta(c->mp, c->hdr.num_params, c->p, c->refs, res);
}

static uint32_t cmd_close(struct msg_ctx *ctx, struct msg_call *c)
{
	struct ta_session *s = session_find(ctx, c->hdr.session);

	if (!s || c->hdr.num_params)
		return TEEC_ERROR_BAD_PARAMETERS;
	/* A call on it is out for an RPC on another thread: it keeps its session. */
	if (s->busy)
		return TEEC_ERROR_BUSY;
	if (s->ta->close)
		s->ta->close(s);
	memset(s, 0, sizeof(*s));
	return TEEC_SUCCESS;
}

static uint32_t cmd_register_shm(struct msg_ctx *ctx, struct msg_call *c)
{
	const struct optee_msg_param_tmem *t = &c->mp[0].u.tmem;
	uint64_t attr = c->mp[0].attr, type = attr & OPTEE_MSG_ATTR_TYPE_MASK;
	bool noncontig = attr & OPTEE_MSG_ATTR_NONCONTIG;
	struct msg_shm *shm = NULL;
	uint64_t list = 0, i, *pages;
	uint32_t offset, npages;
	size_t k;

	if (c->hdr.num_params != 1 || type < OPTEE_MSG_ATTR_TYPE_TMEM_INPUT ||
	    type > OPTEE_MSG_ATTR_TYPE_TMEM_INOUT || (attr & ~(type | OPTEE_MSG_ATTR_NONCONTIG)))
		return TEEC_ERROR_BAD_PARAMETERS;
	/* Bound the size first: everything below is then small arithmetic. */
	if (!t->shm_ref || shm_find(ctx, t->shm_ref) || !t->size ||
	    t->size > VTZ_MSG_MAX_SHM_SIZE)
		return TEEC_ERROR_BAD_PARAMETERS;
	offset = (uint32_t)(t->buf_ptr & MSG_PAGE_MASK);
	npages = (uint32_t)((offset + t->size + MSG_PAGE_MASK) / MSG_PAGE_SIZE);
	for (k = 0; k < VTZ_MSG_MAX_SHM && !shm; k++)
		if (!ctx->shm[k].cookie)
			shm = &ctx->shm[k];
	/* Out of slots or of page addresses: the normal world may free some. */
	if (!shm || npages > VTZ_MSG_SHM_POOL_PAGES - ctx->pool_used)
		return TEEC_ERROR_OUT_OF_MEMORY;
	/*
	 * The page addresses go straight into the free end of the pool: only
	 * pool_used says they are in use, so a refusal below leaves nothing
	 * behind (but the entries, which are wiped).
	 */
	pages = &ctx->pool[ctx->pool_used];
	if (noncontig)
		list = t->buf_ptr & ~MSG_PAGE_MASK;
	for (i = 0; i < npages; i++) {
		uint64_t page;

		if (!noncontig) {
			page = (t->buf_ptr & ~MSG_PAGE_MASK) + i * MSG_PAGE_SIZE;
		} else {
			uint64_t slot = i % OPTEE_MSG_PAGELIST_ENTRIES;

			/* A full list page: its last slot names the next one. */
			if (i && !slot) {
				if (ns_read(&ctx->view, list + OPTEE_MSG_PAGELIST_ENTRIES * 8, &list,
					    8) ||
				    (list & MSG_PAGE_MASK))
					goto bad;
			}
			if (ns_read(&ctx->view, list + slot * 8, &page, 8))
				goto bad;
		}
		if ((page & MSG_PAGE_MASK) || !ns_ptr(&ctx->view, page, MSG_PAGE_SIZE))
			goto bad;
		pages[i] = page;
	}
	shm->cookie = t->shm_ref;
	shm->size = t->size;
	shm->offset = offset;
	shm->npages = npages;
	shm->first = ctx->pool_used;
	ctx->pool_used += npages;
	return TEEC_SUCCESS;
bad:
	memset(pages, 0, sizeof(*pages) * i);
	return TEEC_ERROR_BAD_PARAMETERS;
}

/*
 * Take shm's extent out of the pool and close the gap, so the free pages
 * are always one run at the end. Bounded: at most the whole pool moves,
 * and only on an unregistration.
 */
static void pool_release(struct msg_ctx *ctx, const struct msg_shm *shm)
{
	uint32_t first = shm->first, n = shm->npages, i;
	size_t k;

	for (i = first; i + n < ctx->pool_used; i++)
		ctx->pool[i] = ctx->pool[i + n];
	memset(&ctx->pool[ctx->pool_used - n], 0, sizeof(ctx->pool[0]) * n);
	ctx->pool_used -= n;
	for (k = 0; k < VTZ_MSG_MAX_SHM; k++)
		if (ctx->shm[k].cookie && ctx->shm[k].first > first)
			ctx->shm[k].first -= n;
}

static uint32_t cmd_unregister_shm(struct msg_ctx *ctx, struct msg_call *c)
{
	struct msg_shm *shm;

	if (c->hdr.num_params != 1 || c->mp[0].attr != OPTEE_MSG_ATTR_TYPE_RMEM_INPUT)
		return TEEC_ERROR_BAD_PARAMETERS;
	shm = shm_find(ctx, c->mp[0].u.rmem.shm_ref);
	if (!shm)
		return TEEC_ERROR_ITEM_NOT_FOUND;
	pool_release(ctx, shm);
	memset(shm, 0, sizeof(*shm));
	return TEEC_SUCCESS;
}

uint32_t msg_call_with_arg(struct msg_ctx *ctx, struct msg_bounce *b, uint64_t pa)
{
	const uint64_t hdr_size = sizeof(struct optee_msg_arg);
	struct msg_call c;
	uint32_t smc = OPTEE_SMC_RETURN_OK, res;
	size_t i, n;

	/* Aligned like the struct (the TEE may run with the MMU off: Device memory). */
	if ((pa & 7) || ns_read(&ctx->view, pa, &c.hdr, hdr_size))
		return OPTEE_SMC_RETURN_EBADADDR;
	memset(c.p, 0, sizeof(c.p));
	c.bounce = b;
	c.first = 0;
	c.origin = TEEC_ORIGIN_TEE;
	n = c.hdr.num_params;
	if (n > VTZ_MSG_MAX_PARAMS) {
		res = TEEC_ERROR_BAD_PARAMETERS;
		n = 0;
		goto out;
	}
	if (ns_read(&ctx->view, pa + hdr_size, c.mp, n * sizeof(c.mp[0])))
		return OPTEE_SMC_RETURN_EBADADDR;
	b->used = 0;
	switch (c.hdr.cmd) {
	case OPTEE_MSG_CMD_OPEN_SESSION:
		res = cmd_open_session(ctx, &c);
		break;
	case OPTEE_MSG_CMD_INVOKE_COMMAND:
		res = cmd_invoke(ctx, &c);
		break;
	case OPTEE_MSG_CMD_CLOSE_SESSION:
		res = cmd_close(ctx, &c);
		break;
	case OPTEE_MSG_CMD_REGISTER_SHM:
		res = cmd_register_shm(ctx, &c);
		break;
	case OPTEE_MSG_CMD_UNREGISTER_SHM:
		res = cmd_unregister_shm(ctx, &c);
		break;
	case OPTEE_MSG_CMD_CANCEL:
		/* One thread, and calls run to the end: nothing is ever cancellable. */
		res = TEEC_SUCCESS;
		break;
	case OPTEE_MSG_CMD_DO_BOTTOM_HALF:
		/*
		 * What a notification asked for: nothing is deferred to it yet
		 * but the count, which the echo TA's NOTIFY reports. No
		 * parameters, as OP-TEE requires.
		 */
		if (n) {
			res = TEEC_ERROR_BAD_PARAMETERS;
			break;
		}
		ctx->bottom_halves++;
		res = TEEC_SUCCESS;
		break;
	case OPTEE_MSG_CMD_STOP_ASYNC_NOTIF:
		/* The driver is going away: nothing of ours waits on it. */
		res = n ? TEEC_ERROR_BAD_PARAMETERS : TEEC_SUCCESS;
		break;
	default:
		res = TEEC_ERROR_NOT_SUPPORTED;
		smc = OPTEE_SMC_RETURN_EBADCMD;
		break;
	}
out:
	/*
	 * Results out: the header's session (OPEN_SESSION), ret and
	 * ret_origin, then the TA's outputs. The range was checked on the
	 * way in; a failed write can only mean the view changed, which it
	 * cannot, so it is not reported separately.
	 */
	c.hdr.ret = res;
	c.hdr.ret_origin = c.origin;
	if (c.hdr.cmd == OPTEE_MSG_CMD_OPEN_SESSION && res == TEEC_SUCCESS)
		ns_write(&ctx->view, pa + offsetof(struct optee_msg_arg, session), &c.hdr.session,
			 sizeof(c.hdr.session));
	ns_write(&ctx->view, pa + offsetof(struct optee_msg_arg, ret), &c.hdr.ret,
		 sizeof(c.hdr.ret));
	ns_write(&ctx->view, pa + offsetof(struct optee_msg_arg, ret_origin), &c.hdr.ret_origin,
		 sizeof(c.hdr.ret_origin));
	if (res == TEEC_SUCCESS || res == TEEC_ERROR_SHORT_BUFFER) {
		/* Only a TA's parameters can be outputs, and a TA has at most 4. */
		for (i = c.first; i < n && i - c.first < VTZ_TA_NUM_PARAMS; i++) {
			if (!is_output(c.p[i - c.first].type))
				continue;
			ns_write(&ctx->view, pa + hdr_size + i * sizeof(c.mp[0]) + 8, &c.mp[i].u,
				 sizeof(c.mp[i].u));
		}
	}
	/* A TA's copies may hold secrets: leave nothing of them behind. */
	memset(b->buf, 0, b->used);
	b->used = 0;
	return smc;
}
