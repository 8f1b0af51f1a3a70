#!/usr/bin/env bash
# Device checks for a session lent a GPU machine (see tools/bench_gpu.py):
# the CUDA-context tests of xobjects, xpart and xtrack, then the GPU benchmark.
# The machine has no network: cffi/pycparser/tqdm travel as wheels in .whl/,
# the LHC line in .gpudata/, and the libraries run from the source tree.
# Usage (on the device machine, repo root): bash tools/gpu_check.sh OUTDIR
set -uo pipefail
out="${1:-/tmp/gpu_out}"
mkdir -p "$out"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH="/tmp/site:$PWD/xobjects:$PWD/xdeps:$PWD/xpart:$PWD/xtrack:$PWD/xfields:$PWD/lossmaps"
export PYTHONUNBUFFERED=1 XOBJECTS_TEST_CONTEXTS=ContextCupy XSUITE_SHARED_DIR="$PWD/.gpudata/shared"
nvidia-smi -L | tee "$out/gpu.txt"
python3 -c "import cupy, xobjects as xo; print('cupy', cupy.__version__); xo.ContextCupy()" 2>&1 | tee -a "$out/gpu.txt"
timeout "${TEST_TIMEOUT:-300}" python3 -m pytest -q -p no:cacheprovider -k "Cupy or cupy" \
    xobjects/tests xpart/tests xtrack/tests -rfE --tb=line 2>&1 | tail -80 > "$out/tests.txt"
tail -40 "$out/tests.txt"
timeout "${BENCH_TIMEOUT:-200}" python3 tools/bench_gpu.py --line .gpudata/lhcb1.json.gz 2>&1 | tail -30 | tee "$out/bench.txt"
