/* vmctl acpi: write the ACPI tables an x86_64 VM would get, one per file. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmctl/vmctl.h"
#include "vmmd/acpi.h"

/* mkdir -p: creates @dir and missing parents; an existing directory is ok. */
static int make_dir(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i, n = strlen(dir);

	if (!n || n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		if (path[i - 1] == '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return -errno;
		if (i < n)
			path[i] = '/';
	}
	if (stat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Writes DIR/SIG.dat; a partial file is removed. */
static int write_table(const char *dir, const struct acpi_tables *t,
		       const struct acpi_table_ref *r)
{
	const uint8_t *p = t->blob + r->offset;
	size_t left = r->length;
	char path[PATH_MAX];
	int fd, err = 0;

	if (snprintf(path, sizeof(path), "%s/%s.dat", dir, r->sig) >=
	    (int)sizeof(path)) {
		fprintf(stderr, "vmctl: acpi: %s: %s\n", dir,
			strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		err = -errno;
		fprintf(stderr, "vmctl: acpi: %s: %s\n", path, strerror(-err));
		return err;
	}
	while (left) {
		ssize_t n = write(fd, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		fprintf(stderr, "vmctl: acpi: %s: %s\n", path, strerror(-err));
		unlink(path);
	}
	return err;
}

/* Writes every table, then lists them: SIG ADDRESS LENGTH FILE. */
static int write_tables(const char *dir, const struct acpi_tables *t)
{
	size_t i;
	int err;

	err = make_dir(dir);
	if (err) {
		fprintf(stderr, "vmctl: acpi: %s: %s\n", dir, strerror(-err));
		return err;
	}
	for (i = 0; i < t->n_tables; i++) {
		err = write_table(dir, t, &t->tables[i]);
		if (err)
			return err;
	}
	for (i = 0; i < t->n_tables; i++) {
		const struct acpi_table_ref *r = &t->tables[i];

		printf("%s  0x%08" PRIx64 "  %5" PRIu32 "  %s/%s.dat\n", r->sig,
		       r->addr, r->length, dir, r->sig);
	}
	return 0;
}

int cmd_acpi(const struct vmctl_ctx *ctx, const struct vmctl_cmd *cmd, int argc,
	     char **argv)
{
	const char *dir, *file;
	struct acpi_tables t;
	struct vm_config *cfg;
	struct vm_layout *lay;
	int err, status;

	status = vmctl_parse_file_out(cmd, argc, argv, "DIR", &file, &dir);
	if (status >= 0)
		return status;

	status = vmctl_resolve_for_arch("acpi", file, ARCH_X86_64,
					"ACPI tables are for x86_64 here", &cfg,
					&lay);
	if (status)
		return status;
	err = acpi_build(lay, cfg, &t);
	if (err) {
		fprintf(stderr, "vmctl: acpi: %s: %s\n", file,
			t.error[0] ? t.error : strerror(-err));
		status = VMCTL_EXIT_FAIL;
		goto free_layout;
	}
	if (write_tables(dir, &t))
		status = VMCTL_EXIT_FAIL;
	acpi_tables_free(&t);
free_layout:
	layout_free(lay);
	cfg_free(cfg);
	return vmctl_flush_stdout(status);
}
