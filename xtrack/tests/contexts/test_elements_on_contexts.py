"""Every beam element of the golden cases on the other contexts (OpenCL, CUDA).

For each element class of ``shared/reference/xtrack/elements`` the cases are
tracked on each test context other than the serial CPU one (``XOBJECTS_TEST_CONTEXTS``;
in CI: PoCL's OpenCL on the CPU; on a GPU machine: ``ContextCupy``) and
compared twice: with the reference (the tolerance of
``tools/check_element_reference.py``) and with the serial CPU context, which
must agree to round-off (fused multiply-add is off on every context, so only
the last bits of transcendental functions may differ).
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import xobjects as xo
from xobjects.test_helpers import for_all_test_contexts

REPO_ROOT = Path(__file__).resolve().parents[3]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# the comparison of the reference tool and the shared-folder lookup of the repository's conftest
CHECKER = _load("check_element_reference", REPO_ROOT / "tools" / "check_element_reference.py")
SHARED = _load("repository_conftest", REPO_ROOT / "conftest.py").shared_dir()

# relative agreement with the CPU context: a few ulp of libm differences,
# amplified at most by the long thick-element integrations of the cases
ROUND_OFF_RTOL, ROUND_OFF_ATOL = 1e-11, 1e-14


def _reference_files(shared):
    if shared is None:
        return []
    folder = shared / "reference" / "xtrack" / "elements"
    out = []
    for path in sorted(folder.glob("*.json")):
        if json.loads(path.read_text()).get("module", "xtrack") == "xtrack":
            out.append(path)
    return out


def _track(case, context):
    element = CHECKER.build_element(case, case["module"])
    particles = CHECKER.build_particles(case)
    if context is not None:
        element = element.copy(_context=context)
        particles = particles.copy(_context=context)
    element.track(particles)
    return particles.copy(_context=xo.ContextCpu())


def _classes():
    return [pytest.param(p, id=p.stem) for p in _reference_files(SHARED)]


@for_all_test_contexts(excluding=("ContextCpu",))
@pytest.mark.parametrize("path", _classes())
def test_element_cases_agree_with_cpu_and_reference(path, test_context):
    data = json.loads(path.read_text())
    failures = []
    for case in data["cases"]:
        case_id = f"{data['class']}/{case['id']}"
        got = _track(case, test_context)
        cpu = _track(case, None)
        worst = max(CHECKER.compare(got, case["particles_out"]), key=lambda r: r[1])
        if worst[1] > 1.0:
            failures.append(f"{case_id}: reference, worst {worst[0]} ratio {worst[1]:.3g}")
        for name in CHECKER.FLOAT_FIELDS:
            a, b = np.asarray(getattr(got, name)), np.asarray(getattr(cpu, name))
            if not np.allclose(a, b, rtol=ROUND_OFF_RTOL, atol=ROUND_OFF_ATOL, equal_nan=True):
                diff = np.max(np.abs(a - b))
                failures.append(f"{case_id}: {name} differs from the CPU context by {diff:.3g}")
        for name in CHECKER.INT_FIELDS:
            if not np.array_equal(getattr(got, name), getattr(cpu, name)):
                failures.append(f"{case_id}: {name} differs from the CPU context")
    assert not failures, "\n".join(failures)
