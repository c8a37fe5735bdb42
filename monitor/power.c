/* SPDX-License-Identifier: MIT */
/*
 * Power control through QEMU virt's secure PL061 GPIO, wired to QEMU's
 * gpio-pwr device (hw/arm/virt.c: SECURE_GPIO_POWEROFF 0, SECURE_GPIO_RESET 1):
 * pin 0 requests a power-off, pin 1 a reset.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/platform.h>

#include "monitor.h"

#define GPIODIR 0x400
#define PIN_POWEROFF 0
#define PIN_RESET 1

static void gpio_raise(unsigned int pin)
{
	volatile uint32_t *dir = (volatile uint32_t *)(PLAT_SECURE_GPIO + GPIODIR);
	/* PL061 data register: address bits [9:2] select the pins written. */
	volatile uint32_t *data = (volatile uint32_t *)(PLAT_SECURE_GPIO + ((1U << pin) << 2));

	*dir |= 1U << pin;
	*data = 1U << pin;
}

void power_off(void)
{
	con_printf("system off\n");
	dsb(sy);
	gpio_raise(PIN_POWEROFF);
	for (;;)
		wfi();
}

/*
 * RAM survives the reset: what TEEs owned is scrubbed first. The next
 * cold boot scrubs again (the whole pool), since other CPUs may have kept
 * running while this one scrubbed.
 */
void power_reset(void)
{
	scrub_before_reset();
	con_printf("system reset\n");
	dsb(sy);
	gpio_raise(PIN_RESET);
	for (;;)
		wfi();
}

void monitor_panic(const char *why)
{
	con_printf("FATAL: %s\n", why);
	power_off();
}
