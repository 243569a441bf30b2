#!/usr/bin/python3
"""Validates YAML VM files against the JSON Schema printed by `vmctl schema`.

usage: schema_check.py VMCTL --valid FILE... [--invalid FILE...]

Every --valid file must validate; every --invalid file must be rejected by
the schema (files that break the format in ways a schema can express:
unknown keys, wrong types, bad enum values). Uses python3-yaml and
python3-jsonschema from Debian.
"""
import json
import subprocess
import sys

import jsonschema
import yaml


def main():
    vmctl = sys.argv[1]
    valid, invalid, cur = [], [], None
    for arg in sys.argv[2:]:
        if arg in ("--valid", "--invalid"):
            cur = valid if arg == "--valid" else invalid
        elif cur is None:
            sys.exit("schema_check.py: give --valid or --invalid first")
        else:
            cur.append(arg)
    schema = json.loads(subprocess.run([vmctl, "schema"], check=True,
                                       capture_output=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    for path in valid:
        with open(path) as f:
            doc = yaml.safe_load(f)
        errs = list(validator.iter_errors(doc))
        for e in errs:
            print(f"FAIL {path}: {'/'.join(map(str, e.path))}: {e.message}")
        failed += bool(errs)
    for path in invalid:
        with open(path) as f:
            doc = yaml.safe_load(f)
        if validator.is_valid(doc):
            print(f"FAIL {path}: schema accepts an invalid file")
            failed += 1
    total = len(valid) + len(invalid)
    print(f"{total - failed} passed, {failed} failed")
    return 1 if failed or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
