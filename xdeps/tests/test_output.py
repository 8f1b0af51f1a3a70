"""xdeps prints through one replaceable printer (a library above installs its own)."""

import numpy as np
import pytest

import xdeps as xd
import xdeps.output as output


def test_tables_print_through_the_installed_printer():
    seen = []
    saved = output._printer
    try:
        output.set_printer(lambda *args, **kwargs: seen.append(" ".join(map(str, args))))
        xd.Table({"name": np.array(["a", "b"]), "x": np.array([1.0, 2.0])}).show()
        assert len(seen) == 1 and "name" in seen[0] and "b" in seen[0]
        output.set_printer(None)
        assert output._printer is print
        with pytest.raises(TypeError, match="callable or None"):
            output.set_printer("stdout")
    finally:
        output._printer = saved
