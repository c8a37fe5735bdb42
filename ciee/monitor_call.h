/* SPDX-License-Identifier: MIT */
/*
 * The CIEE's one way to call the monitor's CIEE-only services
 * (VTZ_SMC_MON_TEE_MEASURE, _KEY, _CONSOLE, _ATTEST). The monitor serves them
 * only to an SMC at ciee_monitor_smc_site, whose offset is in the CIEE
 * image header (CIEE_MONITOR_SMC_OFFSET): no other `smc` in the CIEE may
 * ask for them, so none other is refused quietly (monitor/ciee_auth.h).
 */
#ifndef CIEE_MONITOR_CALL_H
#define CIEE_MONITOR_CALL_H

#include <stdint.h>

/*
 * fid in x0, r[0..10] in x1..x11; returns x0 (0 or an SMCCC/VTZ_MON_ERR_*
 * error) and r[0..3] = x1..x4 as the monitor left them (r[4..10] as
 * given). In CIEE mode only (interrupts masked, MMU off): r must be
 * 8-byte aligned. Services that take fewer arguments ignore the rest.
 */
#define CIEE_MONITOR_ARGS 11
int64_t ciee_monitor_smc(uint32_t fid, uint64_t r[CIEE_MONITOR_ARGS]);

#endif
