#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs the whole test suite through ctest (every GoogleTest case, and lit as
# one ctest test), then prints one closing line that counts every GoogleTest
# case and every lit test: 'N passed, N failed'. Exits non-zero when
# anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_dir=${ACTC_BUILD_DIR:-build}
jobs=${ACTC_TEST_JOBS:-$(nproc)}

rm -f "$build_dir/ctest-results.xml" "$build_dir/tests/lit-results.xml"
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" \
  --output-junit "$PWD/$build_dir/ctest-results.xml"
ctest_status=$?

python3 - "$build_dir" <<'PY'
import sys, xml.etree.ElementTree as ET
build = sys.argv[1]

def counts(path, skip=()):
    """(passed, failed) of a JUnit file; a missing or broken file is a failure."""
    passed = failed = 0
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return 0, 1
    for case in root.iter("testcase"):
        if case.get("name") in skip:
            continue
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None and case.get("status") != "notrun":
            passed += 1
    return passed, failed

# Every GoogleTest case is a ctest test; lit is one ctest test ("lit") whose
# own cases are in lit's JUnit file.
unit_pass, unit_fail = counts(f"{build}/ctest-results.xml", skip=("lit",))
lit_pass, lit_fail = counts(f"{build}/tests/lit-results.xml")
print(f"unit: {unit_pass} passed, {unit_fail} failed; lit: {lit_pass} passed, {lit_fail} failed")
print(f"{unit_pass + lit_pass} passed, {unit_fail + lit_fail} failed")
sys.exit(1 if unit_fail + lit_fail else 0)
PY
summary_status=$?
if [ "$ctest_status" -ne 0 ] || [ "$summary_status" -ne 0 ]; then exit 1; fi
