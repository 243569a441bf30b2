/* Device registry: PCI identity and BAR layout of each device type. */
#include <string.h>

#include "layout/resolve_internal.h"

/*
 * virtio devices use the modern (1.0+) PCI binding: vendor 0x1af4, device
 * 0x1040 + virtio device id, no legacy I/O BAR. BAR layout:
 *   BAR1  32-bit memory, MSI-X: table at offset 0 (vectors * 16 bytes),
 *         PBA right after the table; size is the next power of two of
 *         table + PBA, at least 4 KiB.
 *   BAR4  64-bit prefetchable memory, 16 KiB: common config at 0x0000,
 *         ISR at 0x1000, device config at 0x2000, notify at 0x3000.
 * shared-memory is an ivshmem-plain device (0x1af4:0x1110, class RAM):
 *   BAR0  32-bit memory, registers (256 bytes, mapped as 4 KiB)
 *   BAR2  64-bit prefetchable memory, the shared region (its size).
 */
static const struct devreg devreg_table[DEV_TYPE_COUNT] = {
	[DEV_SERIAL] = {
		.name = "serial",
	},
	[DEV_VIRTIO_BLK] = {
		.name = "virtio-blk",
		.pci = true,
		.mmio = true,
		.vendor = 0x1af4,
		.device_id = 0x1042,
		.class_code = 0x018000,
		.virtio_id = 2,
		.bars = DEVREG_BARS_VIRTIO,
	},
	[DEV_VIRTIO_NET] = {
		.name = "virtio-net",
		.pci = true,
		.mmio = true,
		.vendor = 0x1af4,
		.device_id = 0x1041,
		.class_code = 0x020000,
		.virtio_id = 1,
		.bars = DEVREG_BARS_VIRTIO,
	},
	[DEV_VIRTIO_CONSOLE] = {
		.name = "virtio-console",
		.pci = true,
		.mmio = true,
		.vendor = 0x1af4,
		.device_id = 0x1043,
		.class_code = 0x078000,
		.virtio_id = 3,
		.bars = DEVREG_BARS_VIRTIO,
	},
	[DEV_VIRTIO_RNG] = {
		.name = "virtio-rng",
		.pci = true,
		.mmio = true,
		.vendor = 0x1af4,
		.device_id = 0x1044,
		.class_code = 0x00ff00,
		.virtio_id = 4,
		.bars = DEVREG_BARS_VIRTIO,
	},
	[DEV_SHARED_MEMORY] = {
		.name = "shared-memory",
		.pci = true,
		.vendor = 0x1af4,
		.device_id = 0x1110,
		.class_code = 0x050000,
		.bars = DEVREG_BARS_IVSHMEM,
	},
};

#define VIRTIO_BAR4_SIZE (16 * KiB)
#define IVSHMEM_REGS_SIZE (4 * KiB)
#define MSIX_MAX_VECTORS 2048

const struct devreg *devreg_get(enum cfg_dev_type t)
{
	static const struct devreg none = {
		.name = "unknown",
	};

	if ((unsigned int)t >= ARRAY_SIZE(devreg_table))
		return &none;
	return &devreg_table[t];
}

/* Queue vectors + 1 configuration-change vector. */
uint32_t devreg_msix_vectors(const struct cfg_device *d)
{
	uint32_t q = d->queues ? d->queues : 1;
	uint64_t v;

	if (devreg_get(d->type)->bars != DEVREG_BARS_VIRTIO)
		return 0;
	switch (d->type) {
	case DEV_VIRTIO_BLK:
		v = q;
		break;
	case DEV_VIRTIO_NET:
		v = 2 * (uint64_t)q + 1; /* rx/tx pairs + control queue */
		break;
	case DEV_VIRTIO_CONSOLE:
		v = 2; /* receiveq0, transmitq0 (no multiport) */
		break;
	default:
		v = 1;
		break;
	}
	v += 1;
	return v > MSIX_MAX_VECTORS ? MSIX_MAX_VECTORS : (uint32_t)v;
}

static void bar_add(struct layout_pci_fn *fn, uint8_t index, bool mem64,
		    bool prefetch, uint64_t size)
{
	struct layout_bar *b;

	if (fn->n_bars >= ARRAY_SIZE(fn->bars))
		return;
	b = &fn->bars[fn->n_bars++];
	memset(b, 0, sizeof(*b));
	b->index = index;
	b->mem64 = mem64;
	b->prefetch = prefetch;
	b->size = size;
}

void devreg_fill_fn(const struct cfg_device *d, struct layout_pci_fn *fn)
{
	const struct devreg *e = devreg_get(d->type);
	uint64_t table, pba, size;

	fn->vendor = e->vendor;
	fn->device_id = e->device_id;
	fn->class_code = e->class_code;
	fn->int_pin = 1; /* INTA */
	fn->msix_vectors = devreg_msix_vectors(d);
	fn->n_bars = 0;
	switch (e->bars) {
	case DEVREG_BARS_VIRTIO:
		table = (uint64_t)fn->msix_vectors * 16;
		pba = (fn->msix_vectors + 63) / 64 * 8;
		size = pow2_roundup(table + pba);
		bar_add(fn, 1, false, false, size < 4 * KiB ? 4 * KiB : size);
		bar_add(fn, 4, true, true, VIRTIO_BAR4_SIZE);
		break;
	case DEVREG_BARS_IVSHMEM:
		bar_add(fn, 0, false, false, IVSHMEM_REGS_SIZE);
		/* the validator asks for a power of two >= 4 KiB */
		size = d->size < 4 * KiB ? 4 * KiB : d->size;
		if (size > (UINT64_C(1) << 62))
			size = UINT64_C(1) << 62;
		bar_add(fn, 2, true, true, pow2_roundup(size));
		break;
	case DEVREG_BARS_NONE:
		break;
	}
}
