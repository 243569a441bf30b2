/* Human-readable formatting shared by diagnostics and plan output. */
#ifndef VMMD_FMT_H
#define VMMD_FMT_H

#include <stdint.h>

#define FMT_SIZE_BUF 32 /* "0xffffffffffffffff bytes" */

/*
 * Exact binary size: "512 MiB", "3 GiB", "1026 KiB" (the largest unit
 * that divides @v and keeps the number below 2^20), else "1000 bytes" or,
 * from 1 KiB up, "0xc0001800 bytes". Never rounds. Returns @buf.
 */
const char *fmt_size(char buf[FMT_SIZE_BUF], uint64_t v);

#endif
