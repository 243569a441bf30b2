/* Names of the configuration enums as they appear in YAML. */
#include "vmmd/config.h"
#include "config/fields.h"

static const char *const arch_names[] = {
	[ARCH_X86_64] = "x86_64",
	[ARCH_AARCH64] = "aarch64",
};

static const char *const action_names[] = {
	[ACTION_RESTART] = "restart",
	[ACTION_STOP] = "stop",
};

static const char *const x2apic_names[] = {
	[X2APIC_AUTO] = "auto",
	[X2APIC_SUPPORTED] = "supported",
	[X2APIC_UNSUPPORTED] = "unsupported",
	[X2APIC_ENABLED] = "enabled",
};

static const char *const range_type_names[] = {
	[RANGE_RAM] = "ram",
	[RANGE_RESERVED] = "reserved",
	[RANGE_MMIO] = "mmio",
};

static const char *const dev_type_names[] = {
	[DEV_SERIAL] = "serial",
	[DEV_VIRTIO_BLK] = "virtio-blk",
	[DEV_VIRTIO_NET] = "virtio-net",
	[DEV_VIRTIO_CONSOLE] = "virtio-console",
	[DEV_VIRTIO_RNG] = "virtio-rng",
	[DEV_SHARED_MEMORY] = "shared-memory",
};

static const char *const transport_names[] = {
	[TRANSPORT_PCI] = "pci",
	[TRANSPORT_MMIO] = "mmio",
};

static const char *const backing_kind_names[] = {
	[BACKING_ANONYMOUS] = "anonymous",
	[BACKING_MEMFD] = "memfd",
	[BACKING_FILE] = "file",
};

static const char *const hugepages_names[] = {
	[HUGEPAGES_NONE] = "none",
	[HUGEPAGES_2M] = "2M",
	[HUGEPAGES_1G] = "1G",
};

static const char *const boot_kind_names[] = {
	[BOOT_KERNEL] = "kernel",
	[BOOT_FIRMWARE] = "firmware",
	[BOOT_IMAGE] = "image",
};

_Static_assert(ARRAY_SIZE(dev_type_names) == DEV_TYPE_COUNT,
	       "every device type has a name");

#define ENUM_NAMES(names)                            \
	{                                            \
		.v = (names), .n = ARRAY_SIZE(names) \
	}

const struct enum_names cfg_arch_enum = ENUM_NAMES(arch_names);
const struct enum_names cfg_action_enum = ENUM_NAMES(action_names);
const struct enum_names cfg_x2apic_enum = ENUM_NAMES(x2apic_names);
const struct enum_names cfg_range_type_enum = ENUM_NAMES(range_type_names);
const struct enum_names cfg_dev_type_enum = ENUM_NAMES(dev_type_names);
const struct enum_names cfg_transport_enum = ENUM_NAMES(transport_names);
const struct enum_names cfg_backing_kind_enum = ENUM_NAMES(backing_kind_names);
const struct enum_names cfg_hugepages_enum = ENUM_NAMES(hugepages_names);

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : "unknown";
}

const char *cfg_arch_name(enum cfg_arch a)
{
	return name_of(arch_names, ARRAY_SIZE(arch_names), a);
}

const char *cfg_action_name(enum cfg_action a)
{
	return name_of(action_names, ARRAY_SIZE(action_names), a);
}

const char *cfg_x2apic_name(enum cfg_x2apic m)
{
	return name_of(x2apic_names, ARRAY_SIZE(x2apic_names), m);
}

const char *cfg_range_type_name(enum cfg_range_type t)
{
	return name_of(range_type_names, ARRAY_SIZE(range_type_names), t);
}

const char *cfg_dev_type_name(enum cfg_dev_type t)
{
	return name_of(dev_type_names, ARRAY_SIZE(dev_type_names), t);
}

const char *cfg_transport_name(enum cfg_transport t)
{
	return name_of(transport_names, ARRAY_SIZE(transport_names), t);
}

const char *cfg_backing_kind_name(enum cfg_backing_kind k)
{
	return name_of(backing_kind_names, ARRAY_SIZE(backing_kind_names), k);
}

const char *cfg_hugepages_name(enum cfg_hugepages h)
{
	return name_of(hugepages_names, ARRAY_SIZE(hugepages_names), h);
}

const char *cfg_boot_kind_name(enum cfg_boot_kind k)
{
	return name_of(boot_kind_names, ARRAY_SIZE(boot_kind_names), k);
}
