/* SPDX-License-Identifier: MIT */
/* What the attack suite's files share (hyp/attack/, hyp-attack.bin only). */
#ifndef HYP_ATTACK_H
#define HYP_ATTACK_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct fdt_info;

/* attacks.c: one verdict line per attack, from the effect observed. */
void verdict(const char *name, bool was_blocked, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An attack that could not be set up: the runner fails it. */
void not_run(const char *name, const char *why);

/*
 * untrusted_mem.c: the CIEE trusting memory the hypervisor controls
 * (issue 9). Needs cpu UM_RACE_CPU free (started here with CTX_UM_RACE).
 */
#define CTX_UM_RACE 0xa14
#define UM_RACE_CPU 4
void um_attacks_run(struct vm *vm0, const struct fdt_info *info);
/* hyp_attack_secondary() for CTX_UM_RACE; returns when that CPU may park. */
void um_race_secondary(void);

/*
 * races.c: two CPUs racing TEE vCPU operations and rewriting or watching
 * the MMIO record. cpu4 serves it after the vCPU-context race.
 */
void races_run(const struct fdt_info *info);
/* cpu4, after um_race_secondary(): serve the races' jobs; returns when parked. */
void races_secondary(void);

/*
 * lifecycle.c: VM_DESTROY (issue 11). tee0_free_ipa: an IPA where tee0
 * may still take a page of its own (above all it ever had).
 */
void lifecycle_attacks_run(struct vm *vm0, struct vm *tee0, uint64_t tee0_free_ipa);

#endif
