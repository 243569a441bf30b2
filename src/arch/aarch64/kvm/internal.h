/* Shared helper of the arm64 KVM mechanism files (not an API). */
#ifndef VMMD_ARCH_AARCH64_KVM_INTERNAL_H
#define VMMD_ARCH_AARCH64_KVM_INTERNAL_H

#include "vmmd/common.h"

/*
 * Writes "vmmd: arm64: <message>: <strerror(-err)>" to stderr and returns
 * @err (a negative errno), so a failing step reads
 *	return arm64_kvm_fail(-errno, "vCPU %u: KVM_ARM_VCPU_INIT", i);
 * Keeps errno intact. Not for hot paths.
 */
int arm64_kvm_fail(int err, const char *fmt, ...) __printf(2, 3);

#endif
