/* SPDX-License-Identifier: MIT */
/*
 * The VM configuration: which VMs the hypervisor creates, with what, each
 * with its TEE or none. A device tree (compiled by dtc from a .dts such as
 * vms/default.dts; the format is in README.md, "VM configurations"):
 *
 *   / { compatible = "vtz,vm-config"; [firmware-tables = "dt" | "acpi";]
 *       NAME { compatible = "vtz,vm"; kind = "bare" | "linux"; vcpus = <N>;
 *              memory-mib = <M>; kernel = "FILE"; [initramfs = "FILE";]
 *              [bootargs = "..."; on-poweroff = "stop"; numa-node = <K>;]
 *              [tee { [console-name = "NAME";] image = "FILE"; memory-mib = <M>;
 *                     [vcpus = <N>;] };] };
 *       ...
 *       loaded { imgN { path = "FILE"; addr = /bits/ 64 <A>; size = /bits/ 64 <S>; }; ... };
 *   };
 *
 * The /loaded node is the loader's (scripts/vtz_run.py): where it staged
 * each file the VMs name, since the hypervisor cannot read files.
 *
 * The blob comes from outside the trusted base and is read strictly:
 * every unknown node or property, missing required property, wrong type
 * or length, bad value, duplicate name and memory that does not fit is
 * refused with its own error code and a message naming the node and the
 * property. No allocation; every loop is bounded; strings are pointers
 * into the blob, which must outlive the result.
 */
#ifndef POLICY_VM_CONFIG_H
#define POLICY_VM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMCFG_NAME_MAX 16      /* a VM's name: 1..15 of [a-z0-9_-], and its NUL */
#define VMCFG_TEE_NAME_MAX 8   /* a TEE's console name: 1..7, as the CIEE checks it */
#define VMCFG_MAX_VCPUS 8      /* CIEE_MAX_VCPUS */
#define VMCFG_CHUNK_MIB 2      /* the hypervisor hands out memory in 2 MiB chunks */
#define VMCFG_TEE_MAX_MIB 31   /* a TEE's own pages lie in 0x0e100000..0x10000000 */
#define VMCFG_PATH_MAX 256     /* a file name, with its NUL */
#define VMCFG_BOOTARGS_MAX 1024 /* a Linux command line, with its NUL */
#define VMCFG_NUMA_NODES 64    /* numa-node: 0..63 */
#define VMCFG_MAX_LOADED 32    /* entries in /loaded */
#define VMCFG_STAGE_ALIGN 4096 /* where the loader may stage a file */
#define VMCFG_MSG_MAX 160      /* an error message, with its NUL */

enum vmcfg_kind { VMCFG_KIND_BARE, VMCFG_KIND_LINUX };
/* What a VM's power-off leads to (Xen's on_poweroff). */
enum vmcfg_on_poweroff { VMCFG_ON_POWEROFF_STOP, VMCFG_ON_POWEROFF_RESTART,
			 VMCFG_ON_POWEROFF_DESTROY };

/* A file a VM names, and where the loader staged it (vmcfg_resolve()). */
struct vmcfg_file {
	const char *path; /* as the config names it (in the blob); NULL: none */
	uint64_t addr, size;
};

struct vmcfg_tee {
	char name[VMCFG_TEE_NAME_MAX]; /* console-name, or "tee<index of its VM>" */
	struct vmcfg_file image;
	uint32_t memory_mib;
};

struct vmcfg_vm {
	const char *name; /* the node's name (in the blob) */
	enum vmcfg_kind kind;
	uint32_t vcpus, memory_mib;
	struct vmcfg_file kernel, initramfs; /* initramfs: Linux VMs only */
	const char *bootargs;                /* Linux VMs; NULL: none given */
	enum vmcfg_on_poweroff on_poweroff;
	int numa_node; /* -1: none given */
	bool has_tee;
	struct vmcfg_tee tee; /* its vcpus are the VM's */
};

/* A staging area the loader may use, for vmcfg_resolve() to check against. */
struct vmcfg_area {
	uint64_t base, size;
};

struct vmcfg_error {
	int code;
	char msg[VMCFG_MSG_MAX]; /* "NODE: PROPERTY: what is wrong" */
};

#define VMCFG_OK 0
#define VMCFG_ERR_BLOB (-1)         /* not a device tree, or larger than allowed */
#define VMCFG_ERR_STRUCTURE (-2)    /* libfdt failed while walking it */
#define VMCFG_ERR_ROOT (-3)         /* root's compatible missing or not "vtz,vm-config" */
#define VMCFG_ERR_NO_VMS (-4)       /* no VM node */
#define VMCFG_ERR_TOO_MANY (-5)     /* more VMs than the caller's table holds */
#define VMCFG_ERR_UNKNOWN_NODE (-6)
#define VMCFG_ERR_UNKNOWN_PROP (-7)
#define VMCFG_ERR_DUP_PROP (-8)     /* a property twice in one node */
#define VMCFG_ERR_MISSING (-9)      /* a required property is missing */
#define VMCFG_ERR_NOT_STRING (-10)  /* not one NUL-terminated string */
#define VMCFG_ERR_NOT_CELL (-11)    /* not exactly one 32-bit cell */
#define VMCFG_ERR_LENGTH (-12)      /* a string empty or too long */
#define VMCFG_ERR_CHARS (-13)       /* a file name or bootargs with unprintable bytes */
#define VMCFG_ERR_VALUE (-14)       /* a string that is none of the allowed ones */
#define VMCFG_ERR_RANGE (-15)       /* a number out of its range */
#define VMCFG_ERR_NAME (-16)        /* a VM or TEE name not of [a-z0-9_-], or reserved */
#define VMCFG_ERR_DUP_NAME (-17)    /* two VMs of one name */
#define VMCFG_ERR_DUP_TEE_NAME (-18) /* a TEE's name already a VM's or another TEE's */
#define VMCFG_ERR_KIND_PROP (-19)   /* a property this kind of VM does not take */
#define VMCFG_ERR_TEE_VCPUS (-20)   /* a TEE's vcpus that are not its VM's */
#define VMCFG_ERR_ALIGN (-21)       /* VM memory not a multiple of 2 MiB */
#define VMCFG_ERR_NOMEM (-22)       /* VMs and TEEs do not fit mem_avail */
#define VMCFG_ERR_NOT_LOADED (-23)  /* no /loaded node, or no entry for a file */
#define VMCFG_ERR_LOADED (-24)      /* a /loaded entry malformed (type, size, duplicate) */
#define VMCFG_ERR_AREA (-25)        /* a /loaded entry outside every staging area */
#define VMCFG_ERR_OVERLAP (-26)     /* two /loaded entries overlap */
#define VMCFG_ERR_ARGS (-27)        /* the caller's own arguments */
#define VMCFG_ERR_LAST VMCFG_ERR_ARGS

/*
 * Read the configuration in blob (at most max_size bytes) into out[0..max),
 * setting *n. mem_avail: bytes the hypervisor has for VMs; the VMs and
 * their TEEs, each rounded up to 2 MiB chunks, must fit it. Returns
 * VMCFG_OK, or an error with err->msg saying which node and property
 * (out and *n are then zeroed).
 */
int vmcfg_read(const void *blob, size_t max_size, uint64_t mem_avail, struct vmcfg_vm *out,
	       unsigned int max, unsigned int *n, struct vmcfg_error *err);

/*
 * Fill in where each file of vms[0..n) (as vmcfg_read() gave them) was
 * staged, from the /loaded node of blob (at most max_size bytes). Every
 * entry must be non-empty, start 4 KiB aligned, lie inside one of
 * areas[0..n_areas) and overlap no other; every file a VM names must have
 * one.
 */
int vmcfg_resolve(const void *blob, size_t max_size, struct vmcfg_vm *vms, unsigned int n,
		  const struct vmcfg_area *areas, unsigned int n_areas, struct vmcfg_error *err);

/*
 * Where the hypervisor learns the machine: QEMU's device tree (the
 * default) or the firmware's ACPI tables, as the root's firmware-tables
 * says. Read before vmcfg_read() (the platform comes first); anything
 * but a readable blob saying "acpi" is DT, and vmcfg_read() then refuses
 * a bad value or blob with its message.
 */
enum vmcfg_firmware { VMCFG_FIRMWARE_DT, VMCFG_FIRMWARE_ACPI };
enum vmcfg_firmware vmcfg_firmware_tables(const void *blob, size_t max_size);

const char *vmcfg_kind_name(enum vmcfg_kind kind);
const char *vmcfg_on_poweroff_name(enum vmcfg_on_poweroff p);
/* Memory a VM and its TEE take from the hypervisor: each rounded up to 2 MiB. */
uint64_t vmcfg_vm_bytes(const struct vmcfg_vm *vm);

#endif
