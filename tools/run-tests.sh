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

ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" 2>&1 | tee "$build_dir/ctest.log"
ctest_status=${PIPESTATUS[0]}

python3 - "$build_dir" <<'PY'
import re, sys, xml.etree.ElementTree as ET
build = sys.argv[1]
log = open(f"{build}/ctest.log", encoding="utf-8", errors="replace").read()
# ctest: "  12/130 Test  #12: Lexer.Numbers ...   Passed    0.01 sec"
unit_pass = unit_fail = 0
for name, result in re.findall(r"Test\s+#\d+: (\S+) \.+\**\s*(\w[\w ]*?)\s+[\d.]+ sec", log):
    if name == "lit":
        continue
    if result == "Passed":
        unit_pass += 1
    else:
        unit_fail += 1
lit_pass = lit_fail = 0
try:
    root = ET.parse(f"{build}/tests/lit-results.xml").getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            lit_fail += 1
        elif case.find("skipped") is None:
            lit_pass += 1
except (OSError, ET.ParseError):
    lit_fail += 1  # lit did not run or did not finish: count it as a failure
print(f"unit: {unit_pass} passed, {unit_fail} failed; lit: {lit_pass} passed, {lit_fail} failed")
print(f"{unit_pass + lit_pass} passed, {unit_fail + lit_fail} failed")
sys.exit(1 if unit_fail + lit_fail else 0)
PY
summary_status=$?
if [ "$ctest_status" -ne 0 ] || [ "$summary_status" -ne 0 ]; then exit 1; fi
