#!/usr/bin/python3
"""The test guests' ACPI reader agrees with `vmctl plan` on vmmd's tables.

Runs `vmctl acpi` on a VM file, feeds the tables to host_acpi (acpi.elf's
code built for the host) and checks its lines against the lines acpi.elf
must print for that plan: RSDP in the firmware region through an XSDT, the
local APIC address, one cpu line per vCPU (APIC id, node), one mem line per
RAM region, the distance matrix.

    acpi_plan_check.py VMCTL HOST_ACPI VMFILE WORKDIR
"""
import json
import os
import subprocess
import sys


def expected_lines(plan):
    lines = ["rsdp=0x%x,XSDT" % int(plan["firmware"]["base"], 16),
             "lapic=0x%x" % int(plan["interrupt_controller"]["lapic"], 16)]
    vcpus = plan["cpu"]["vcpus"]
    for v in vcpus:
        lines.append("cpu=%d,apic=%d,node=%d"
                     % (v["index"], v["apic_id"], v["node"]))
    for r in plan["memory"]["regions"]:
        if r["kind"] == "ram":
            lines.append("mem=0x%x,0x%x,node=%d"
                         % (int(r["start"], 16), int(r["size"], 16),
                            r["node"]))
    for row in plan["numa"]["distances"]:
        lines.append("slit=" + ",".join(str(d) for d in row))
    lines.append("cpus=%d" % len(vcpus))
    return lines


def main():
    vmctl, host_acpi, vmfile, workdir = sys.argv[1:5]
    os.makedirs(workdir, exist_ok=True)
    listing = subprocess.run([vmctl, "acpi", vmfile, "-o", workdir],
                             check=True, capture_output=True, text=True)
    plan = json.loads(subprocess.run([vmctl, "plan", "--json", vmfile],
                                     check=True, capture_output=True,
                                     text=True).stdout)
    got = subprocess.run([host_acpi], input=listing.stdout,
                         capture_output=True, text=True)
    if got.returncode != 0:
        print("FAIL: host_acpi exit %d\n%s%s"
              % (got.returncode, got.stdout, got.stderr))
        return 1
    want = expected_lines(plan)
    have = got.stdout.splitlines()
    if have != want:
        print("FAIL: %s: the guest's reading differs from the plan" % vmfile)
        for line in sorted(set(want) - set(have)):
            print("  missing: " + line)
        for line in sorted(set(have) - set(want)):
            print("  unexpected: " + line)
        if set(have) == set(want):
            print("  (same lines, different order)")
        return 1
    print("PASS: %s (%d lines)" % (vmfile, len(have)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
