/* SPDX-License-Identifier: MIT */
/*
 * The management console, on the hypervisor's UART: Ctrl-] then v enters
 * it (prompt "vtz>"), Ctrl-] or `exit` leaves it. One command per line:
 *   list                 every defined VM: state, vCPUs, memory, TEE, starts
 *   start NAME           create it (and its TEE) and run it
 *   stop NAME            stop it; its memory and TEE stay until destroyed
 *   destroy NAME         stop it, tear it and its TEE down, free their memory
 *   restart NAME         destroy (if there) and start afresh
 * Commands run on CPU 0 between two scheduler turns (console_in.c):
 * the other VMs keep running on the other CPUs meanwhile. While the
 * console is open the machine stays up even with no VM running; it
 * powers off once the console is left with none running.
 */
#include <string.h>

#include <lib/console.h>
#include <policy/vm_config.h>

#include "hyp.h"

#define LINE_MAX 64
#define ESCAPE 0x1d /* Ctrl-] */

/* Read by every CPU's scheduler loop: while it is on, the machine stays up. */
static volatile bool active;
static char line[LINE_MAX];
static unsigned int len;

bool mgmt_active(void)
{
	return active;
}

static const char *state_of(const struct vm_def *d)
{
	if (!d->vm)
		return "destroyed";
	if (d->vm->running)
		return "running";
	return d->vm->faulted ? "stopped by a fault" : "stopped";
}

static void list(void)
{
	unsigned int i;

	con_printf("vtz> %-15s %-18s %5s %8s %-8s %6s\n", "NAME", "STATE", "VCPUS", "MEMORY",
		   "TEE", "STARTS");
	for (i = 0; i < vm_def_count(); i++) {
		const struct vm_def *d = vm_def_at(i);

		con_printf("vtz> %-15s %-18s %5u %5u MiB %-8s %6u\n", d->cfg->name, state_of(d),
			   d->cfg->vcpus, d->cfg->memory_mib, d->cfg->has_tee ? d->cfg->tee.name : "-",
			   d->starts);
	}
	con_printf("vtz> %llu MiB of VM memory free\n", (unsigned long long)(mem_free_bytes() >> 20));
}

static void help(void)
{
	con_printf("vtz> commands: list, start NAME, stop NAME, destroy NAME, restart NAME, "
		   "exit (or Ctrl-])\n");
}

static void run(char *cmd)
{
	char *arg = strchr(cmd, ' ');
	struct vm_def *d;
	int r;

	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
	}
	if (!strcmp(cmd, "list")) {
		list();
		return;
	}
	if (!strcmp(cmd, "help")) {
		help();
		return;
	}
	if (!strcmp(cmd, "exit")) {
		active = false;
		con_printf("vtz> left the management console\n");
		return;
	}
	if (strcmp(cmd, "start") && strcmp(cmd, "stop") && strcmp(cmd, "destroy") &&
	    strcmp(cmd, "restart")) {
		con_printf("vtz> unknown command '%s'\n", cmd);
		help();
		return;
	}
	if (!arg || !*arg) {
		con_printf("vtz> %s needs a VM name (see list)\n", cmd);
		return;
	}
	d = vm_def_find(arg);
	if (!d) {
		con_printf("vtz> no VM named '%s' in the configuration (see list)\n", arg);
		return;
	}
	if (!strcmp(cmd, "start"))
		r = vm_def_start(d);
	else if (!strcmp(cmd, "stop"))
		r = vm_def_stop(d);
	else if (!strcmp(cmd, "destroy"))
		r = vm_def_destroy(d);
	else
		r = vm_def_restart(d);
	con_printf("vtz> %s %s: %s\n", cmd, d->cfg->name, r ? "failed" : "done");
}

/* A character typed while the console is on (CPU 0, console_in.c). */
void mgmt_take(char c)
{
	if (!active) {
		active = true;
		len = 0;
		con_printf("vtz> management console (help for commands; Ctrl-] to leave)\n");
		return;
	}
	if (c == ESCAPE) {
		active = false;
		con_printf("vtz> left the management console\n");
		return;
	}
	if (c == '\r' || c == '\n') {
		line[len] = '\0';
		len = 0;
		if (line[0]) {
			con_printf("vtz> %s\n", line);
			run(line);
		}
		return;
	}
	if (c == 0x7f || c == '\b') {
		if (len)
			len--;
		return;
	}
	if (len < LINE_MAX - 1 && c >= ' ' && c <= '~')
		line[len++] = c;
}
