import io
import os
import subprocess
import sys

import numpy as np
import pytest
import xtrack as xt
from xtrack import progress_indicator


def test_override_restores_settings_even_on_error():
    before = xt.settings.progress_indicator
    with pytest.raises(RuntimeError):
        with xt.settings.override(progress_indicator="suppress"):
            assert xt.settings.progress_indicator == "suppress"
            raise RuntimeError("inside")
    assert xt.settings.progress_indicator == before


def test_bad_setting_is_rejected_without_change():
    before = xt.settings.progress_indicator
    with pytest.raises(ValueError, match="expected one of 'tqdm', 'text', 'suppress'"):
        xt.settings.progress_indicator = "fancy"
    with pytest.raises(AttributeError, match="no setting named"):
        xt.settings.colour = "red"
    assert xt.settings.progress_indicator == before


def test_suppressed_progress_returns_the_iterable_and_text_mode_reports():
    items = [1, 2, 3]
    with xt.settings.override(progress_indicator="suppress"):
        assert progress_indicator.progress(items, desc="x") is items
    with xt.settings.override(print_mode="suppress", progress_indicator="tqdm"):
        assert progress_indicator.progress(items, desc="x") is items
    out = io.StringIO()
    with xt.settings.override(progress_indicator="text"):
        wrapped = progress_indicator.progress(range(10), desc="Work", file=out)
        assert list(wrapped) == list(range(10))
    assert "Work: 10/10 (100 %" in out.getvalue()


def test_environment_variable_sets_the_startup_default():
    env = dict(os.environ, XSUITE_PROGRESS_INDICATOR="text")
    code = "import xtrack as xt; print(xt.settings.progress_indicator)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "text"


def test_tracking_with_progress_follows_settings():
    line = xt.Line(elements=[xt.Drift(length=1.0)] * 3)
    p = xt.Particles(p0c=1e9, px=[1e-3])
    with xt.settings.override(progress_indicator="suppress"):
        line.track(p, num_turns=50, with_progress=7)
    assert p.at_turn[0] == 50 and p.x[0] == pytest.approx(0.15, rel=1e-12)
