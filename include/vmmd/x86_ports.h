/* x86 legacy I/O ports of the platform (policy, not device models). */
#ifndef VMMD_X86_PORTS_H
#define VMMD_X86_PORTS_H

/*
 * Fixed PC ports below LAYOUT_X86_IO_START (0x1000) that the builder
 * claims for the platform devices; docs/platform.md has the full map.
 * The ACPI PM block and the reset register are in vmmd/acpi.h (the FADT
 * names them); serial ports come from the layout (struct layout_device).
 */
#define X86_PORT_I8042_DATA 0x60 /* i8042: + I8042_CMD (4) is 0x64 */
#define X86_PORT_RTC 0x70 /* CMOS index; data at 0x71 */
#define X86_PORT_RTC_LEN 2

/*
 * Debug exit (test configurations only): 0x501-0x502, QEMU's default
 * isa-debug-exit port, free on PCs and clear of every range above, so
 * test guests written for QEMU find it where they look. The value is
 * passed on unchanged (see devices/debug_exit.h).
 */
#define X86_PORT_DEBUG_EXIT 0x501
#define X86_PORT_DEBUG_EXIT_LEN 2

#endif
