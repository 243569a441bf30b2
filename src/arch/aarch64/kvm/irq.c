/* arm64 interrupt injection: SPIs of the in-kernel GIC via KVM_IRQ_LINE. */
#include <errno.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "arch/aarch64/kvm/arm64_kvm.h"

/* SPIs are INTIDs 32..1019; 1020..1023 are special INTIDs, not lines. */
#define GIC_SPI_FIRST 32u
#define GIC_SPI_LAST 1019u

_Static_assert(GIC_SPI_LAST <= KVM_ARM_IRQ_NUM_MASK,
	       "every SPI fits KVM_IRQ_LINE's irq_number field");

int arm64_irq_line(int vm_fd, uint32_t intid, bool level)
{
	/*
	 * KVM_IRQ_LINE's irq on arm64 is | type 27:24 | vcpu 23:16 |
	 * number 15:0 | (plus vcpu2_index 31:28 for PPIs of vCPUs >= 256).
	 * Type SPI targets the in-kernel GIC and ignores the vCPU fields; the
	 * number is the INTID itself, not the SPI index.
	 */
	struct kvm_irq_level irq = { .level = level };

	if (intid < GIC_SPI_FIRST || intid > GIC_SPI_LAST)
		return -EINVAL;
	irq.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT;
	irq.irq |= intid << KVM_ARM_IRQ_NUM_SHIFT;
	/* EINVAL from KVM: the INTID is beyond the vGIC's nr_irqs. */
	if (ioctl(vm_fd, KVM_IRQ_LINE, &irq) < 0)
		return -errno;
	return 0;
}
