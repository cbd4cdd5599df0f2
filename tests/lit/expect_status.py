# SPDX-License-Identifier: Apache-2.0
#
# %expect-status N CMD...: runs CMD and succeeds iff it exits with status N
# (lit's internal shell has no $?). CMD's output passes through.
import subprocess
import sys

expected = int(sys.argv[1])
status = subprocess.call(sys.argv[2:])
if status != expected:
    sys.stderr.write(f"expect-status: {sys.argv[2:]} exited with {status}, expected {expected}\n")
    sys.exit(1)
