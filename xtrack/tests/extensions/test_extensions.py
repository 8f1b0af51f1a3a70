"""Methods that a higher library provides reach xtrack objects through the registry."""

import pytest

import xtrack as xt
from xtrack import extensions


def test_missing_extension_names_provider_and_method(monkeypatch):
    monkeypatch.setattr(extensions, "_functions", {})
    monkeypatch.setattr(extensions, "_loaded", True)
    with pytest.raises(ImportError, match=r"TwissTable.get_ibs_growth_rates is provided by xfields"):
        xt.TwissTable({"name": ["a"], "s": [0.0]}).get_ibs_growth_rates("nagaitsev")


def test_registered_function_receives_the_object(monkeypatch):
    monkeypatch.setattr(extensions, "_functions", {})
    monkeypatch.setattr(extensions, "_loaded", True)
    calls = []
    extensions.register("Line.configure_intrabeam_scattering",
                        lambda line, *a, **k: calls.append((line, a, k)) or "done")
    line = xt.Line(elements=[xt.Drift(length=1.0)], element_names=["d"])
    assert line.configure_intrabeam_scattering(1, element="ibs") == "done"
    assert calls == [(line, (1,), {"element": "ibs"})]
    assert extensions.available_extensions() == ["Line.configure_intrabeam_scattering"]


@pytest.mark.parametrize("name, function", [("", print), (3, print), ("x", 3)])
def test_register_rejects_bad_input(name, function):
    with pytest.raises(TypeError):
        extensions.register(name, function)
