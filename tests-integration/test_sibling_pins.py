"""Sibling libraries are pinned exactly at their current versions (STYLE.md §8)."""

import importlib.util
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("check_pins", REPO / "tools" / "check_pins.py")
check_pins = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_pins)


def test_sibling_pins_match_versions():
    assert check_pins.pin_mismatches() == []


def test_stale_pin_is_reported(tmp_path):
    for lib in check_pins.LIBRARIES:
        (tmp_path / lib / lib).mkdir(parents=True)
        shutil.copy(REPO / lib / "pyproject.toml", tmp_path / lib / "pyproject.toml")
        shutil.copy(REPO / lib / lib / "_version.py", tmp_path / lib / lib / "_version.py")
    (tmp_path / "xobjects" / "xobjects" / "_version.py").write_text('__version__ = "99.0.0"\n')
    problems = check_pins.pin_mismatches(tmp_path)
    # xpart, xtrack and xfields pin xobjects: all three are now stale.
    assert len(problems) == 3
    assert all("expected xobjects==99.0.0" in p for p in problems)
