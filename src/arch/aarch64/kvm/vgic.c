/* arm64 in-kernel GIC mechanism: vGICv3 / vGICv2 and the GICv3 ITS. */

/*
 * KVM's device API (Documentation/virt/kvm/devices/arm-vgic-v3.rst,
 * arm-vgic.rst, arm-vgic-its.rst): KVM_CREATE_DEVICE gives a device fd;
 * KVM_SET_DEVICE_ATTR on it sets the guest addresses (group ADDR), the
 * number of interrupts (group NR_IRQS) and finally initialises it (group
 * CTRL, CTRL_INIT). Addresses may be set any time before the first
 * KVM_RUN, but NR_IRQS only before CTRL_INIT, and CTRL_INIT sizes the
 * per-vCPU state (redistributors, private interrupts) from the vCPUs
 * that exist at that moment: it must come after the last KVM_CREATE_VCPU.
 *
 * Everything placed here is a layout value. The checks below only refuse
 * layouts KVM would refuse with a less helpful EINVAL/E2BIG at
 * CTRL_INIT or first KVM_RUN.
 */
#include <errno.h>
#include <inttypes.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "arch/aarch64/kvm/arm64_kvm.h"
#include "arch/aarch64/kvm/internal.h"

/* KVM_DEV_ARM_VGIC_GRP_NR_IRQS: 64..1024 INTIDs, SGIs and PPIs included. */
#define VGIC_NR_IRQS_MIN 64
#define VGIC_NR_IRQS_MAX 1024
#define VGICV2_MAX_CPUS 8 /* GICv2 targets CPUs with an 8-bit mask */

static const char *vgic_name(uint32_t type)
{
	switch (type) {
	case KVM_DEV_TYPE_ARM_VGIC_V3:
		return "vgic-v3";
	case KVM_DEV_TYPE_ARM_VGIC_V2:
		return "vgic-v2";
	case KVM_DEV_TYPE_ARM_VGIC_ITS:
		return "vgic-its";
	default:
		return "vgic";
	}
}

static int create_device(int vm_fd, uint32_t type, int *fd)
{
	struct kvm_create_device cd = { .type = type };

	/* The fd comes back O_CLOEXEC: it does not leak into exec'd helpers. */
	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0) {
		/*
		 * ENODEV: this host cannot give this GIC (a GICv3 guest needs
		 * a GICv3 host; a GICv2 guest a GICv2 or GICv2-compatible
		 * one); EEXIST: the VM already has a vGIC.
		 */
		return arm64_kvm_fail(-errno, "KVM_CREATE_DEVICE %s",
				      vgic_name(type));
	}
	*fd = (int)cd.fd;
	return 0;
}

static int set_attr(int dev_fd, uint32_t group, uint64_t attr, const void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uint64_t)(uintptr_t)val,
	};

	if (ioctl(dev_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return -errno;
	return 0;
}

static int set_addr(int dev_fd, uint32_t type, uint64_t attr, uint64_t gpa,
		    const char *what)
{
	int ret = set_attr(dev_fd, KVM_DEV_ARM_VGIC_GRP_ADDR, attr, &gpa);

	if (ret)
		return arm64_kvm_fail(ret, "%s: %s address 0x%" PRIx64,
				      vgic_name(type), what, gpa);
	return 0;
}

static int check_layout(const struct vm_layout *l)
{
	uint64_t redist_need;

	if (l->arch != ARCH_AARCH64)
		return arm64_kvm_fail(-EINVAL, "vGIC: not an aarch64 layout");
	if (!l->n_vcpus)
		return arm64_kvm_fail(-EINVAL, "vGIC: layout has no vCPUs");
	if (l->gic_nr_irqs < VGIC_NR_IRQS_MIN ||
	    l->gic_nr_irqs > VGIC_NR_IRQS_MAX || l->gic_nr_irqs % 32)
		return arm64_kvm_fail(-EINVAL,
				      "vGIC: nr_irqs %" PRIu32
				      " is not a multiple of 32 in 64..1024",
				      l->gic_nr_irqs);
	switch (l->gic_version) {
	case 3:
		/*
		 * KVM_VGIC_V3_ADDR_TYPE_REDIST is one contiguous region with
		 * one 128 KiB redistributor (RD_base + SGI_base) per vCPU, in
		 * vCPU index order: what the layout reserved and the device
		 * tree describes (#redistributor-regions = 1).
		 */
		redist_need = (uint64_t)l->n_vcpus * LAYOUT_GIC_REDIST_SIZE;
		if (!l->gic_redist || l->gic_redist_size < redist_need)
			return arm64_kvm_fail(
				-EINVAL,
				"vgic-v3: redistributor region of %" PRIu64
				" bytes, %zu vCPUs need %" PRIu64,
				l->gic_redist_size, l->n_vcpus, redist_need);
		return 0;
	case 2:
		if (!l->gic_cpuif)
			return arm64_kvm_fail(-EINVAL,
					      "vgic-v2: no CPU interface "
					      "address");
		if (l->n_vcpus > VGICV2_MAX_CPUS)
			return arm64_kvm_fail(-EINVAL,
					      "vgic-v2: %zu vCPUs, at most %d",
					      l->n_vcpus, VGICV2_MAX_CPUS);
		return 0;
	default:
		return arm64_kvm_fail(-EINVAL, "vGIC: GIC version %" PRIu32,
				      l->gic_version);
	}
}

int arm64_vgic_create(int vm_fd, const struct vm_layout *l, int *gic_fd)
{
	uint32_t type, nr_irqs = l->gic_nr_irqs;
	int fd, ret;

	ret = check_layout(l);
	if (ret)
		return ret;
	type = l->gic_version == 3 ? KVM_DEV_TYPE_ARM_VGIC_V3 :
				     KVM_DEV_TYPE_ARM_VGIC_V2;
	ret = create_device(vm_fd, type, &fd);
	if (ret)
		return ret;

	ret = set_attr(fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	if (ret) {
		arm64_kvm_fail(ret, "%s: NR_IRQS %" PRIu32, vgic_name(type),
			       nr_irqs);
		goto close_gic;
	}
	if (l->gic_version == 3) {
		ret = set_addr(fd, type, KVM_VGIC_V3_ADDR_TYPE_DIST,
			       l->gic_dist, "distributor");
		if (ret)
			goto close_gic;
		ret = set_addr(fd, type, KVM_VGIC_V3_ADDR_TYPE_REDIST,
			       l->gic_redist, "redistributor");
		if (ret)
			goto close_gic;
	} else {
		ret = set_addr(fd, type, KVM_VGIC_V2_ADDR_TYPE_DIST,
			       l->gic_dist, "distributor");
		if (ret)
			goto close_gic;
		ret = set_addr(fd, type, KVM_VGIC_V2_ADDR_TYPE_CPU,
			       l->gic_cpuif, "CPU interface");
		if (ret)
			goto close_gic;
	}

	/* After the last KVM_CREATE_VCPU: see the comment at the top. */
	ret = set_attr(fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
		       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (ret) {
		arm64_kvm_fail(ret, "%s: CTRL_INIT (%zu vCPUs)",
			       vgic_name(type), l->n_vcpus);
		goto close_gic;
	}
	*gic_fd = fd;
	return 0;

close_gic:
	/*
	 * Only the fd goes: KVM keeps the half-configured vGIC until the VM
	 * is destroyed, and refuses a second one, so the caller must tear
	 * the VM down (arm64_kvm.h).
	 */
	close(fd);
	return ret;
}

int arm64_vgic_its_create(int vm_fd, const struct vm_layout *l, int *its_fd)
{
	const uint32_t type = KVM_DEV_TYPE_ARM_VGIC_ITS;
	int fd, ret;

	if (l->arch != ARCH_AARCH64 || l->gic_version != 3 || !l->gic_its)
		return arm64_kvm_fail(-EINVAL,
				      "vgic-its: layout has no GICv3 ITS");
	ret = create_device(vm_fd, type, &fd);
	if (ret)
		return ret;
	/* 128 KiB (control and translation frames), 64 KiB aligned. */
	ret = set_addr(fd, type, KVM_VGIC_ITS_ADDR_TYPE, l->gic_its, "ITS");
	if (ret)
		goto close_its;
	ret = set_attr(fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
		       KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	if (ret) {
		arm64_kvm_fail(ret, "vgic-its: CTRL_INIT");
		goto close_its;
	}
	*its_fd = fd;
	return 0;

close_its:
	close(fd);
	return ret;
}
