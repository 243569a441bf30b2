/* Boot loader helpers: errors, file reading, RAM checks, cmdline, initrd. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot_internal.h"

int boot_err(struct boot_error *err, int ret, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return ret;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return ret;
}

int boot_file_read(const char *path, uint64_t max, uint8_t **buf, size_t *len,
		   struct boot_error *err)
{
	struct stat st;
	uint8_t *p;
	size_t done = 0;
	int fd, ret;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return boot_err(err, ret, "%s: %s", path, strerror(-ret));
	}
	if (fstat(fd, &st) < 0) {
		ret = boot_err(err, -errno, "%s: %s", path, strerror(errno));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = boot_err(err, -EINVAL, "%s: not a regular file", path);
		goto err_close;
	}
	if ((uint64_t)st.st_size > max || (uint64_t)st.st_size > SIZE_MAX) {
		ret = boot_err(err, -EFBIG,
			       "%s: %llu bytes do not fit in guest RAM "
			       "(%llu bytes)",
			       path, (unsigned long long)st.st_size,
			       (unsigned long long)max);
		goto err_close;
	}
	p = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!p) {
		ret = boot_err(err, -ENOMEM, "%s: out of memory", path);
		goto err_close;
	}
	while (done < (size_t)st.st_size) {
		ssize_t r = read(fd, p + done, (size_t)st.st_size - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = boot_err(err, r < 0 ? -errno : -EIO,
				       "%s: short read (%zu of %llu bytes)",
				       path, done,
				       (unsigned long long)st.st_size);
			goto err_free;
		}
		done += (size_t)r;
	}
	close(fd);
	*buf = p;
	*len = done;
	return 0;
err_free:
	free(p);
err_close:
	close(fd);
	return ret;
}

bool boot_range_is_ram(const struct vm_layout *l, uint64_t gpa, uint64_t len)
{
	size_t i;

	if (!len || gpa + len < gpa)
		return false;
	/* Regions are sorted and disjoint: one pass, cursor moves forward. */
	for (i = 0; i < l->n_regions; i++) {
		const struct layout_region *r = &l->regions[i];
		uint64_t end = r->gpa + r->size;

		if (end <= gpa)
			continue;
		if (r->gpa > gpa || r->kind != LR_RAM)
			return false;
		if (end - gpa >= len)
			return true;
		len -= end - gpa;
		gpa = end;
	}
	return false;
}

int boot_check_load(const struct vm_layout *l, const struct guest_mem *m,
		    uint64_t gpa, uint64_t len, const char *what,
		    struct boot_error *err)
{
	if (!len)
		return 0;
	if (gpa + len < gpa)
		return boot_err(err, -EINVAL,
				"%s at 0x%llx: size 0x%llx wraps around", what,
				(unsigned long long)gpa,
				(unsigned long long)len);
	if (!boot_range_is_ram(l, gpa, len) || !gmem_is_backed(m, gpa, len))
		return boot_err(err, -ENOSPC,
				"%s [0x%llx, 0x%llx) does not fit in guest RAM",
				what, (unsigned long long)gpa,
				(unsigned long long)(gpa + len));
	if (boot_overlaps(gpa, len, BOOT_AREA_START,
			  BOOT_AREA_END - BOOT_AREA_START))
		return boot_err(err, -EINVAL,
				"%s [0x%llx, 0x%llx) overlaps the boot area "
				"[0x%llx, 0x%llx)",
				what, (unsigned long long)gpa,
				(unsigned long long)(gpa + len),
				(unsigned long long)BOOT_AREA_START,
				(unsigned long long)BOOT_AREA_END);
	return 0;
}

int boot_write_cmdline(const struct guest_mem *m, const char *cmdline,
		       uint64_t max, struct boot_info *out,
		       struct boot_error *err)
{
	size_t n;

	if (!cmdline)
		cmdline = "";
	if (max > BOOT_CMDLINE_MAX - 1)
		max = BOOT_CMDLINE_MAX - 1;
	n = strnlen(cmdline, max + 1);
	if (n > max)
		return boot_err(err, -E2BIG,
				"command line is longer than %llu bytes",
				(unsigned long long)max);
	if (gmem_write(m, BOOT_CMDLINE_ADDR, cmdline, n + 1))
		return boot_err(err, -EFAULT,
				"command line at 0x%llx: not in guest memory",
				(unsigned long long)BOOT_CMDLINE_ADDR);
	out->cmdline_gpa = BOOT_CMDLINE_ADDR;
	out->cmdline_len = n;
	return 0;
}

int boot_load_initrd(const struct vm_layout *l, const struct guest_mem *m,
		     const uint8_t *initrd, size_t ilen, uint64_t floor,
		     uint64_t limit, struct boot_info *out,
		     struct boot_error *err)
{
	uint64_t gpa;
	int ret;

	out->initrd_gpa = 0;
	out->initrd_size = 0;
	if (!initrd)
		return 0;
	if (!ilen)
		return boot_err(err, -EINVAL, "initrd is empty");
	ret = layout_place_initrd_below(l, ilen, floor, limit, &gpa);
	if (ret)
		return boot_err(err, ret,
				"initrd (%zu bytes) does not fit in guest RAM "
				"above 0x%llx%s",
				ilen, (unsigned long long)floor,
				limit == UINT64_MAX ? "" :
						      " and below the kernel's "
						      "limit");
	ret = boot_check_load(l, m, gpa, ilen, "initrd", err);
	if (ret)
		return ret;
	if (gmem_write(m, gpa, initrd, ilen))
		return boot_err(err, -EFAULT, "initrd: write failed");
	out->initrd_gpa = gpa;
	out->initrd_size = ilen;
	return 0;
}
