/* Runtime of the test guests: port I/O, serial reports, PVH start info. */
#ifndef GUEST_RT_H
#define GUEST_RT_H

/*
 * The debug-exit port (docs/platform.md, X86_PORT_DEBUG_EXIT): a byte
 * write ends the VM. vmmd passes the value on unchanged; QEMU's
 * isa-debug-exit at the same port exits with (value << 1) | 1.
 */
#define GUEST_DEBUG_EXIT_PORT 0x501
#define GUEST_COM1 0x3f8

/* Application processors smp.elf can start, and their stacks (2 KiB). */
#define AP_MAX 64
#define AP_STACK_SHIFT 11

#ifndef __ASSEMBLER__
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * printf checking of report() and format(). Only in the guests: %llx takes
 * a uint64_t, which is unsigned long long on i386 but unsigned long in the
 * 64-bit host build of the ACPI reader (host_acpi.c).
 */
#ifdef __i386__
#define GUEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GUEST_PRINTF(f, a)
#endif

/* struct hvm_start_info of the PVH boot ABI (Xen's arch-x86/hvm/start_info.h).
 */
#define HVM_START_MAGIC 0x336ec578

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries; /* version >= 1 */
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info");

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* e820 types: 1 RAM, 2 reserved, 3 ACPI, ... */
	uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_memmap_entry) == 24, "hvm_memmap_entry");

#define HVM_MEMMAP_RAM 1

static inline void outb(uint16_t port, uint8_t val)
{
	__asm__ volatile("outb %0, %1" : : "a"(val), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t val;

	__asm__ volatile("inb %1, %0" : "=a"(val) : "Nd"(port));
	return val;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Guest-physical pointer; NULL when above 4 GiB (no paging in 32-bit). */
void *phys_ptr(uint64_t paddr);

/*
 * report("key", "fmt", ...) prints one "key=value" line on COM1 (just the
 * value when key is NULL), whole lines under a spinlock so several CPUs
 * can report. Formats: %s, %c,
 * %u and %x (32-bit), %llx (64-bit hex), each with an optional 0x prefix
 * written by the caller.
 */
void report(const char *key, const char *fmt, ...) GUEST_PRINTF(2, 3);

/* Longest report line, and of any format() result, in characters. */
#define FORMAT_MAX 160

/* report()'s formatting into buf (size > 0, NUL-terminated, truncated at
 * FORMAT_MAX - 1 characters); returns the length written. */
size_t format(char *buf, size_t size, const char *fmt, ...) GUEST_PRINTF(3, 4);
size_t vformat(char *buf, size_t size, const char *fmt, va_list ap);

/* The validated start info, or NULL (after reporting why). */
const struct hvm_start_info *start_info_get(uint32_t paddr);

/* This CPU's APIC id: CPUID leaf 0xB (x2APIC id) when present, else leaf 1. */
uint32_t cpu_apic_id(void);

/* Ends the VM through the debug-exit port; halts if that does not work. */
__attribute__((noreturn)) void guest_exit(int status);

/* Each guest's main; its return value is the exit status. */
int guest_main(uint32_t start_info_paddr);

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif /* __ASSEMBLER__ */
#endif /* GUEST_RT_H */
