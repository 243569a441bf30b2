/* Debug-exit port: the guest writes a status, the VM ends with it. */
#include <errno.h>
#include <string.h>

#include "devices/debug_exit.h"

int debug_exit_init(struct debug_exit *s, const struct debug_exit_ops *ops,
		    void *opaque)
{
	if (!ops || !ops->exit)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->opaque = opaque;
	return 0;
}

uint32_t debug_exit_read(struct debug_exit *s, uint64_t offset,
			 unsigned int size)
{
	return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

void debug_exit_write(struct debug_exit *s, uint64_t offset, unsigned int size,
		      uint32_t val)
{
	if (offset != 0 || (size != 1 && size != 2)) {
		s->bad_writes++;
		return;
	}
	s->exits++;
	s->ops->exit(s->opaque, size == 1 ? val & 0xff : val & 0xffff);
}
