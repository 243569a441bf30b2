#!/bin/sh
# ACPI tables of one x86_64 VM file, checked with acpica's own tools.
#   acpi_check.sh VMCTL FILE.yaml
# 1. `vmctl acpi FILE -o DIR` writes one DIR/SIG.dat per table: RSDP, FACS,
#    XSDT, DSDT, FACP, APIC, SRAT, SLIT, and MCFG with PCIe.
# 2. RSDP: signature, revision 2, both checksums, XSDT address (iasl cannot
#    disassemble a binary RSDP: it has no standard table header).
# 3. Every other table: `iasl -d` must succeed without errors, warnings or
#    remarks, and compiling the disassembly back must give the same bytes
#    (header checksum and compiler id aside, which iasl rewrites): iasl
#    understood every field the way vmmd meant it.
# 4. acpiexec loads all tables (our FADT, FACS, MADT, SRAT, SLIT, MCFG and
#    the DSDT namespace) without an error, then, on the DSDT alone, finds
#    one processor device per vCPU, a COMn device per serial port whose
#    decoded _CRS has the plan's I/O port and IRQ, a VRnn device per
#    virtio-mmio device with the plan's MMIO base and GSI, and
#    \_S5 = { 5, 5, 0, 0 }.
# Exit status 77 (skipped) when iasl, acpiexec or python3 is missing.
set -u
vmctl=$1 cfg=$2
name=$(basename "$cfg" .yaml)

for tool in iasl acpiexec python3 cmp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "acpi_check: $tool not found (apt-get install acpica-tools); skipped"
		exit 77
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/tables
fails=0

fail() {
	echo "FAIL $name: $*"
	fails=$((fails + 1))
}

# Shows a tool's output when a check on it failed.
show() {
	sed 's/^/    | /' "$1"
}

if ! "$vmctl" acpi "$cfg" -o "$out" >"$tmp/index" 2>"$tmp/err"; then
	fail "vmctl acpi exited non-zero"
	show "$tmp/err"
	exit 1
fi
"$vmctl" plan --json "$cfg" >"$tmp/plan.json" || exit 1

# index lines: SIG 0xADDRESS LENGTH PATH
sigs=$(awk '{ printf "%s%s", sep, $1; sep = " " }' "$tmp/index")
xsdt_addr=$(awk '$1 == "XSDT" { print $2 }' "$tmp/index")

# What the plan says (one python run: starting it is slow here), and the
# RSDP check. Output lines:
#   tables SIG...      the tables the index must list, in order
#   ncpu N
#   dev COMn PORT GSI  serial ports, in config order
#   dev VRnn BASE GSI  virtio-mmio devices, in config order
#   rsdp MESSAGE       a problem with RSDP.dat
python3 - "$tmp/plan.json" "$out/RSDP.dat" "$xsdt_addr" >"$tmp/facts" <<'EOF'
import json, struct, sys
plan = json.load(open(sys.argv[1]))
tables = "RSDP FACS XSDT DSDT FACP APIC SRAT SLIT"
if plan["pcie"]["root_complexes"]:
    tables += " MCFG"
print("tables", tables)
print("ncpu", plan["cpu"]["count"])
com = vr = 0
for d in plan["devices"]:
    if d["type"] == "serial":
        com += 1
        print("dev COM%d %04X %d" % (com, d["io_port"], d["gsi"]))
    elif d["transport"] == "mmio":
        print("dev VR%02X %08X %d" % (vr, int(d["mmio"]["base"], 16), d["gsi"]))
        vr += 1

def rsdp_problem():
    try:
        d = open(sys.argv[2], "rb").read()
    except OSError as e:
        return str(e)
    if len(d) != 36:
        return "length %d" % len(d)
    if d[:8] != b"RSD PTR ":
        return "signature"
    if sum(d[:20]) % 256 or sum(d) % 256:
        return "checksum"
    if d[15] != 2:
        return "revision %d" % d[15]
    if struct.unpack_from("<I", d, 20)[0] != 36:
        return "length field"
    xsdt = struct.unpack_from("<Q", d, 24)[0]
    if not sys.argv[3] or xsdt != int(sys.argv[3], 16):
        return "XSDT at %#x, the index says %s" % (xsdt, sys.argv[3])
    return None

p = rsdp_problem()
if p:
    print("rsdp", p)
EOF
want=$(awk '$1 == "tables" { $1 = ""; print substr($0, 2) }' "$tmp/facts")
ncpu=$(awk '$1 == "ncpu" { print $2 }' "$tmp/facts")
awk '$1 == "dev" { print $2, $3, $4 }' "$tmp/facts" >"$tmp/devs"

[ "$sigs" = "$want" ] || fail "tables '$sigs', expected '$want'"
for s in $sigs; do
	[ -s "$out/$s.dat" ] || fail "$s.dat missing or empty"
done
if grep -q '^rsdp ' "$tmp/facts"; then
	fail "RSDP.dat: $(sed -n 's/^rsdp //p' "$tmp/facts")"
fi

# --- iasl -d and back ---------------------------------------------------
cd "$out" || exit 1
for s in $sigs; do
	[ "$s" = RSDP ] && continue
	if ! iasl -d "$s.dat" >"$tmp/iasl-d.$s" 2>&1; then
		fail "iasl -d $s.dat failed"
		show "$tmp/iasl-d.$s"
		continue
	fi
	if grep -Eiq 'error|warning|remark|invalid|\*\*\*\*' "$tmp/iasl-d.$s"; then
		fail "iasl -d $s.dat complained"
		show "$tmp/iasl-d.$s"
	fi
	# Table dumps carry iasl's own comments on bad fields.
	if [ "$s" != DSDT ] && grep -Eq '\*\*\*\*|Invalid|Error' "$s.dsl"; then
		fail "$s.dsl has iasl error comments"
		grep -E '\*\*\*\*|Invalid|Error' "$s.dsl" | sed 's/^/    | /'
	fi
	if ! iasl -p "$tmp/rt-$s" "$s.dsl" >"$tmp/iasl-c.$s" 2>&1 ||
		! grep -q '0 Errors, 0 Warnings, 0 Remarks' "$tmp/iasl-c.$s"; then
		fail "iasl cannot compile its own disassembly of $s"
		show "$tmp/iasl-c.$s"
		continue
	fi
	# bytes 0-8 and 10-27 (header without checksum and compiler id), 36-
	if [ "$s" = FACS ]; then
		cmp "$tmp/rt-$s.aml" "$s.dat" >/dev/null ||
			fail "$s does not round-trip through iasl"
	elif ! cmp -n 9 "$tmp/rt-$s.aml" "$s.dat" >/dev/null ||
		! cmp -i 10 -n 18 "$tmp/rt-$s.aml" "$s.dat" >/dev/null ||
		! cmp -i 36 "$tmp/rt-$s.aml" "$s.dat" >/dev/null; then
		fail "$s does not round-trip through iasl"
		cmp -l "$tmp/rt-$s.aml" "$s.dat" | head -5 | sed 's/^/    | /'
	fi
done

# --- acpiexec: every table --------------------------------------------------
tables=""
for s in $sigs; do
	[ "$s" = RSDP ] || tables="$tables $s.dat"
done
# shellcheck disable=SC2086
acpiexec -l $tables >"$tmp/exec-all" 2>&1
rc=$?
if [ $rc -ne 0 ] ||
	grep -Eiq 'error|warning|exception|unexpected|AE_' "$tmp/exec-all" ||
	! grep -q '1 ACPI AML tables successfully acquired and loaded' "$tmp/exec-all"; then
	fail "acpiexec did not load the tables cleanly (exit $rc)"
	show "$tmp/exec-all"
fi
for s in $sigs; do
	case $s in RSDP | FACS) continue ;; esac
	grep -q "^ACPI: $s .*VMMD" "$tmp/exec-all" ||
		fail "acpiexec did not install our $s"
done

# --- acpiexec: the namespace (one batch run) --------------------------------
cmds='namespace; evaluate \_S5'
while read -r dev where gsi; do
	cmds="$cmds; resources \\_SB.$dev"
done <"$tmp/devs"
acpiexec -b "$cmds" DSDT.dat >"$tmp/exec-ns" 2>&1
rc=$?
# "resources" also tries _SRS, which these fixed devices do not have.
if [ $rc -ne 0 ] || grep -v 'AcpiSetCurrentResources failed: AE_NOT_FOUND' \
	"$tmp/exec-ns" | grep -Eiq 'error|exception|AE_'; then
	fail "acpiexec namespace (exit $rc)"
	show "$tmp/exec-ns"
fi
grep -q '_S5_ Package' "$tmp/exec-ns" || fail '\_S5 missing'
[ "$(grep -c '\[Integer\] = 0000000000000005' "$tmp/exec-ns")" -eq 2 ] ||
	fail '\_S5 is not { 5, 5, 0, 0 }'
[ "$(grep -c '_HID String .*"ACPI0007"' "$tmp/exec-ns")" -eq "$ncpu" ] ||
	fail "expected $ncpu ACPI0007 processor devices"

while read -r dev where gsi; do
	awk -v d="\\\\_SB.$dev" '$1 == "Device:" { on = ($2 == d) } on' \
		"$tmp/exec-ns" >"$tmp/exec-$dev"
	case $dev in
	COM*)
		if ! grep -q "Address Minimum : $where\$" "$tmp/exec-$dev" ||
			! grep -q "Address Length : 08\$" "$tmp/exec-$dev" ||
			! grep -q "Interrupt List : $gsi \$" "$tmp/exec-$dev"; then
			fail "\\_SB.$dev _CRS is not I/O 0x$where (8 ports), IRQ $gsi"
			show "$tmp/exec-$dev"
		fi
		;;
	VR*)
		if ! grep -q "Address : $where\$" "$tmp/exec-$dev" ||
			! grep -q "Dword00 : $(printf %08X "$gsi")\$" "$tmp/exec-$dev"; then
			fail "\\_SB.$dev _CRS is not memory 0x$where, interrupt $gsi"
			show "$tmp/exec-$dev"
		fi
		;;
	esac
done <"$tmp/devs"

if [ $fails -ne 0 ]; then
	echo "acpi_check: $name: $fails failure(s)"
	exit 1
fi
echo "acpi_check: $name: $(wc -l <"$tmp/index") tables ok"
exit 0
