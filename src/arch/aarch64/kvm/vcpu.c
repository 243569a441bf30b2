/* arm64 vCPU mechanism: KVM_ARM_VCPU_INIT, MPIDR_EL1, boot registers. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "arch/aarch64/kvm/arm64_kvm.h"
#include "arch/aarch64/kvm/internal.h"

/* MPIDR_EL1 is op0 3, op1 0, CRn 0, CRm 0, op2 5 (Arm ARM, D17.2). */
#define ARM64_REG_MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)

/*
 * MPIDR_EL1 fields: Aff3 39:32, Aff2 23:16, Aff1 15:8, Aff0 7:0. Bit 31 is
 * RES1. U (bit 30, uniprocessor) and MT (bit 24, threads share the lowest
 * affinity level) stay 0: the guest learns its topology from the device
 * tree's cpu-map, not from MT.
 */
#define MPIDR_AFF_MASK UINT64_C(0xff00ffffff)
#define MPIDR_RES1 (UINT64_C(1) << 31)

/* Core registers of struct kvm_regs are 64 bits wide in KVM_SET_ONE_REG. */
#define ARM64_CORE_REG(field)                                  \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 KVM_REG_ARM_CORE_REG(field))

/* EL1 using SP_EL1, debug, SError, IRQ and FIQ masked. */
#define BOOT_PSTATE \
	(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)

_Static_assert(sizeof(((struct kvm_regs *)0)->regs.pc) == 8,
	       "core registers are 64-bit");
_Static_assert(sizeof(((struct kvm_regs *)0)->regs.pstate) == 8,
	       "PSTATE is a 64-bit core register");

static int set_one_reg(int vcpu_fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = {
		.id = id,
		.addr = (uint64_t)(uintptr_t)&val,
	};

	if (ioctl(vcpu_fd, KVM_SET_ONE_REG, &reg) < 0)
		return -errno;
	return 0;
}

int arm64_vcpu_init(int vm_fd, int vcpu_fd, const struct vm_layout *l,
		    uint32_t index)
{
	struct kvm_vcpu_init init = { 0 };
	uint64_t mpidr;
	int ret;

	if (l->arch != ARCH_AARCH64 || index >= l->n_vcpus)
		return arm64_kvm_fail(-EINVAL,
				      "vCPU %" PRIu32
				      ": not a vCPU of this aarch64 layout",
				      index);
	mpidr = l->vcpus[index].mpidr;
	if (mpidr & ~MPIDR_AFF_MASK)
		return arm64_kvm_fail(-EINVAL,
				      "vCPU %" PRIu32 ": MPIDR 0x%" PRIx64
				      " has bits outside Aff3..Aff0",
				      index, mpidr);

	/*
	 * Both features are ABI since Linux 3.16; checking the capability
	 * turns an obscure KVM_ARM_VCPU_INIT EINVAL into a clear message.
	 */
	ret = ioctl(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PSCI_0_2);
	if (ret <= 0)
		return arm64_kvm_fail(ret < 0 ? -errno : -EOPNOTSUPP,
				      "vCPU %" PRIu32
				      ": KVM_CAP_ARM_PSCI_0_2 (PSCI 0.2 is "
				      "how the guest starts its CPUs)",
				      index);

	/*
	 * The target KVM prefers on this host (the host CPU type, or
	 * KVM_ARM_TARGET_GENERIC_V8); it may come back with feature bits
	 * set that the target needs, so ours are added, not assigned.
	 */
	if (ioctl(vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return arm64_kvm_fail(-errno,
				      "vCPU %" PRIu32
				      ": KVM_ARM_PREFERRED_TARGET",
				      index);
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	/*
	 * Only the boot vCPU runs from the start; the others wait powered
	 * off for the guest's PSCI CPU_ON, as the device tree's
	 * enable-method = "psci" promises.
	 */
	if (index != 0)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu_fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return arm64_kvm_fail(-errno,
				      "vCPU %" PRIu32
				      ": KVM_ARM_VCPU_INIT (target %" PRIu32
				      ")",
				      index, init.target);

	/*
	 * KVM derives a default MPIDR from the vCPU index; the layout's
	 * value is what the device tree's cpu@ reg, the GICv3
	 * redistributors' affinity and PSCI CPU_ON's target lookup must
	 * all agree on. Set after KVM_ARM_VCPU_INIT, which resets it.
	 */
	ret = set_one_reg(vcpu_fd, ARM64_REG_MPIDR_EL1, mpidr | MPIDR_RES1);
	if (ret)
		return arm64_kvm_fail(
			ret,
			"vCPU %" PRIu32
			": KVM_SET_ONE_REG MPIDR_EL1 = 0x%" PRIx64,
			index, mpidr | MPIDR_RES1);
	return 0;
}

int arm64_vcpu_set_boot(int vcpu_fd, uint64_t entry, uint64_t dtb_gpa)
{
	static const struct {
		const char *name;
		uint64_t id;
	} zero[] = {
		{ "X1", ARM64_CORE_REG(regs.regs[1]) },
		{ "X2", ARM64_CORE_REG(regs.regs[2]) },
		{ "X3", ARM64_CORE_REG(regs.regs[3]) },
	};
	size_t i;
	int ret;

	if (entry & 3)
		return arm64_kvm_fail(-EINVAL,
				      "boot entry 0x%" PRIx64
				      " is not 4-byte aligned",
				      entry);
	if (dtb_gpa & 7)
		return arm64_kvm_fail(-EINVAL,
				      "device tree at 0x%" PRIx64
				      " is not 8-byte aligned",
				      dtb_gpa);

	ret = set_one_reg(vcpu_fd, ARM64_CORE_REG(regs.pstate), BOOT_PSTATE);
	if (ret)
		return arm64_kvm_fail(ret, "KVM_SET_ONE_REG PSTATE");
	ret = set_one_reg(vcpu_fd, ARM64_CORE_REG(regs.regs[0]), dtb_gpa);
	if (ret)
		return arm64_kvm_fail(ret, "KVM_SET_ONE_REG X0 (device tree)");
	/* X1-X3 are reserved for future use and must be zero. */
	for (i = 0; i < ARRAY_SIZE(zero); i++) {
		ret = set_one_reg(vcpu_fd, zero[i].id, 0);
		if (ret)
			return arm64_kvm_fail(ret, "KVM_SET_ONE_REG %s",
					      zero[i].name);
	}
	ret = set_one_reg(vcpu_fd, ARM64_CORE_REG(regs.pc), entry);
	if (ret)
		return arm64_kvm_fail(ret, "KVM_SET_ONE_REG PC");
	return 0;
}
