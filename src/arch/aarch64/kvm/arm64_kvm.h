/* arm64 KVM mechanism: vCPU init and boot state, vGIC, SPI injection. */
#ifndef VMMD_ARCH_AARCH64_KVM_H
#define VMMD_ARCH_AARCH64_KVM_H

#include <stdbool.h>
#include <stdint.h>

#include "vmmd/common.h"
#include "vmmd/layout.h"

/*
 * Thin wrappers over the arm64 KVM API, for the VM builder. They take file
 * descriptors the builder owns and the resolved layout, and choose nothing:
 * every address, INTID and MPIDR comes from struct vm_layout. The .c files
 * use <asm/kvm.h> of arm64 and build only for aarch64 (on x86 they are
 * compiled by scripts/cross-arm64.sh, never run); this header is plain C.
 *
 * The builder's order (each step's constraint is the kernel's):
 *   1. KVM_CREATE_VM, memory slots. The layout keeps guest addresses
 *      below LAYOUT_MAX_GPA (1 TiB, 40 bits), the IPA size KVM gives a
 *      VM of type 0, so no KVM_VM_TYPE_ARM_IPA_SIZE is needed.
 *   2. For each vCPU i in layout order: KVM_CREATE_VCPU(i), then
 *      arm64_vcpu_init(vm, vcpu, l, i). Creating them in layout order
 *      makes KVM's vCPU index equal the layout index.
 *   3. arm64_vgic_create() once every vCPU exists; with l->gic_its,
 *      arm64_vgic_its_create().
 *   4. Load the kernel and the FDT (fdt_build) into guest memory, then
 *      arm64_vcpu_set_boot(vcpu 0, entry, l->fw_base). The other vCPUs
 *      start powered off and are brought up by the guest through PSCI
 *      CPU_ON, which gives KVM their entry point.
 *   5. KVM_RUN on each vCPU thread.
 * A VM reset (PSCI SYSTEM_RESET) repeats arm64_vcpu_init for every vCPU
 * (KVM_ARM_VCPU_INIT resets a vCPU, and with it MPIDR_EL1) and step 4.
 *
 * Errors: 0 or a negative errno. The init and create functions also write
 * one line naming the failed step to stderr (the VM process's log), e.g.
 * "vmmd: arm64: vCPU 2: KVM_ARM_VCPU_INIT: Invalid argument".
 */

/*
 * Initialises vCPU @index of @l (KVM vCPU fd @vcpu_fd of VM @vm_fd): the
 * host's preferred CPU target (KVM_ARM_PREFERRED_TARGET), PSCI 0.2 (the
 * enable method the device tree gives), powered off unless @index is 0,
 * then MPIDR_EL1 = l->vcpus[@index].mpidr (must come after
 * KVM_ARM_VCPU_INIT, which resets it). Returns -EINVAL for an index or
 * MPIDR the layout cannot have, -EOPNOTSUPP when KVM lacks PSCI 0.2, or
 * the ioctl's error. Call from the builder thread, before KVM_RUN.
 */
int arm64_vcpu_init(int vm_fd, int vcpu_fd, const struct vm_layout *l,
		    uint32_t index) __must_check;

/*
 * Sets the boot state of the arm64 Linux boot protocol
 * (Documentation/arm64/booting.rst) on a vCPU that has not run: PC =
 * @entry, X0 = @dtb_gpa (the FDT), X1-X3 = 0, PSTATE = EL1h with D, A, I
 * and F masked. The MMU and caches are off after KVM_ARM_VCPU_INIT.
 * Returns -EINVAL when @entry is not 4-byte or @dtb_gpa not 8-byte
 * aligned (the protocol's rules), or the ioctl's error.
 */
int arm64_vcpu_set_boot(int vcpu_fd, uint64_t entry,
			uint64_t dtb_gpa) __must_check;

/*
 * Creates the in-kernel GIC of @l (l->gic_version 3 or 2) on VM @vm_fd:
 * v3 with its distributor at l->gic_dist and one contiguous
 * redistributor region at l->gic_redist (128 KiB per vCPU); v2 with its
 * distributor at l->gic_dist and CPU interface at l->gic_cpuif. Sets
 * l->gic_nr_irqs interrupts and initialises it (KVM_DEV_ARM_VGIC_CTRL_INIT)
 * — which KVM allows only once every vCPU has been created: call it after
 * the last KVM_CREATE_VCPU. On success *gic_fd is the device fd (the
 * caller closes it; the vGIC lives as long as the VM). On failure the VM
 * cannot get another vGIC (KVM allows one per VM): tear the VM down.
 * Returns -EINVAL for a layout without a usable GIC description.
 */
int arm64_vgic_create(int vm_fd, const struct vm_layout *l,
		      int *gic_fd) __must_check;

/*
 * Creates the GICv3 ITS of @l at l->gic_its (after arm64_vgic_create).
 * *its_fd is its device fd, which the builder keeps: it is what saves,
 * restores and resets the ITS tables later. Returns -EINVAL when @l has
 * no ITS (or is not GICv3).
 *
 * GICv2m frames (l->gic_v2m) have no KVM device: a v2m frame is a small
 * MMIO register block (MSI_TYPER, MSI_SETSPI_NS) that the VMM emulates
 * itself, turning each MSI write into an edge on an SPI with
 * arm64_irq_line(). That device model is not written yet.
 */
int arm64_vgic_its_create(int vm_fd, const struct vm_layout *l,
			  int *its_fd) __must_check;

/*
 * Sets the level of SPI @intid (32..1019, as the layout numbers them) of
 * the in-kernel GIC of VM @vm_fd (KVM_IRQ_LINE). A level-triggered line
 * follows @level; for an edge-triggered one (virtio-mmio) raise and
 * lower it. Returns -EINVAL for an INTID that is not an SPI (SGIs and
 * PPIs are per-vCPU and never injected by devices) or one the vGIC does
 * not have, or the ioctl's error. Quiet (writes nothing): it runs on hot
 * paths. Any thread may call it; it does not block.
 */
int arm64_irq_line(int vm_fd, uint32_t intid, bool level) __must_check;

#endif
