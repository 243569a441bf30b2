/* One-line error reports of the arm64 KVM mechanism, on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/aarch64/kvm/internal.h"

int arm64_kvm_fail(int err, const char *fmt, ...)
{
	int saved = errno;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "vmmd: arm64: %s: %s\n", msg, strerror(-err));
	errno = saved;
	return err;
}
