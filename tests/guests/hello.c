/*
 * hello.elf: the smallest guest. Prints "hello from vmmd guest" and, when
 * the command line is not empty, cmdline=CMDLINE, then exits with status
 * 0, or N when the command line holds exit=N (N up to 255): tests of the
 * VMM's exit-status reporting use it.
 */
#include "rt.h"

static int exit_status(const char *cmdline)
{
	for (const char *p = cmdline; *p; p++) {
		int n = 0;

		if ((p != cmdline && p[-1] != ' ') || memcmp(p, "exit=", 5))
			continue;
		for (p += 5; *p >= '0' && *p <= '9' && n <= 255; p++)
			n = n * 10 + (*p - '0');
		return n > 255 ? 255 : n;
	}
	return 0;
}

int guest_main(uint32_t start_info_paddr)
{
	const struct hvm_start_info *si = start_info_get(start_info_paddr);
	const char *cmdline;

	report(NULL, "hello from vmmd guest");
	if (!si)
		return 2;
	cmdline = si->cmdline_paddr ? phys_ptr(si->cmdline_paddr) : NULL;
	if (!cmdline || !*cmdline)
		return 0;
	report("cmdline", "%s", cmdline);
	return exit_status(cmdline);
}
