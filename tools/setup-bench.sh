#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Opt-in setup for the numerics benchmarks (benchmarks/numerics): installs
# the peers we compare against and the plotting library, never run by CI or
# by tools/setup.sh. Debian packages: PyTorch (with the pthread OpenBLAS so it
# does not run on the reference BLAS), oneDNN, matplotlib. ONNX Runtime and
# the onnx package come from PyPI into a venv under build-bench-venv/ (pip is
# used for benchmark peers only). Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=tools/packages.sh
source tools/packages.sh

packages=(python3-torch libopenblas0-pthread libdnnl-dev python3-matplotlib
          python3-numpy python3-venv)
install_missing setup-bench "${packages[@]}"

# ONNX Runtime is not packaged by Debian 12. The venv sees Debian's numpy
# (--system-site-packages) so every peer reads the same arrays.
venv=${ACTC_BENCH_VENV:-build-bench-venv}
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
if ! "$venv/bin/python" -c "import onnxruntime, onnx" 2>/dev/null; then
  "$venv/bin/pip" install -q onnxruntime onnx
fi
echo "setup-bench: peers ready (venv: $venv)"
