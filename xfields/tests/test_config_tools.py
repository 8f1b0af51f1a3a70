"""``xfields.config_tools``: the established addresses of the beam-beam slicing helpers."""

import numpy as np
from scipy.stats import norm

import xfields as xf


def test_constant_charge_slicing_at_its_config_tools_address():
    slicing = xf.config_tools.beambeam_config_tools.config_tools.constant_charge_slicing_gaussian
    assert slicing is xf.constant_charge_slicing_gaussian
    centroids, cuts, per_slice = slicing(N_part_tot=1e11, sigmaz=0.4, N_slices=4)
    # Cuts are the quartiles of the Gaussian; each slice carries a quarter of the charge.
    np.testing.assert_allclose(cuts, 0.4 * norm.ppf([0.25, 0.5, 0.75]), rtol=1e-12)
    np.testing.assert_allclose(per_slice, 2.5e10, rtol=1e-15)
    np.testing.assert_allclose(centroids, -centroids[::-1], atol=1e-15)
