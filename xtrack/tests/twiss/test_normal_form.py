"""Normal form of one-turn matrices: Courant-Snyder functions and symplecticity."""

import numpy as np
import pytest

from xtrack.twiss.normal_form import (UnstableMatrixError, linear_normal_form,
                                      normal_form_4d_with_dispersion, symplectic_form)


def _cs_matrix(beta, alpha, mu):
    gamma = (1 + alpha ** 2) / beta
    c, s = np.cos(mu), np.sin(mu)
    return np.array([[c + alpha * s, beta * s], [-gamma * s, c - alpha * s]])


@pytest.mark.parametrize("qx, qy", [(0.31, 0.32), (0.7, 0.13)])
def test_normal_form_recovers_courant_snyder_functions(qx, qy):
    R = np.zeros((4, 4))
    R[:2, :2] = _cs_matrix(12.0, -1.5, 2 * np.pi * qx)
    R[2:, 2:] = _cs_matrix(3.0, 0.4, 2 * np.pi * qy)
    W, mus = linear_normal_form(R)
    np.testing.assert_allclose(W[0, 0] ** 2 + W[0, 1] ** 2, 12.0, rtol=1e-12)
    np.testing.assert_allclose(-(W[0, 0] * W[1, 0] + W[0, 1] * W[1, 1]), -1.5, rtol=1e-12)
    np.testing.assert_allclose(W[2, 2] ** 2 + W[2, 3] ** 2, 3.0, rtol=1e-12)
    # tunes above 0.5 are recovered because the mode is chosen by its symplectic norm
    np.testing.assert_allclose(mus / (2 * np.pi), [qx, qy], atol=1e-12)
    S = symplectic_form(4)
    np.testing.assert_allclose(W.T @ S @ W, S, atol=1e-12)
    assert W[0, 1] == 0.0 and W[2, 3] == 0.0


def test_normal_form_with_dispersion_is_symplectic():
    W4, _ = linear_normal_form(np.kron(np.eye(2), _cs_matrix(5.0, 0.3, 1.9)))
    W = normal_form_4d_with_dispersion(W4, [1.2, 0.05, 0.0, 0.0])
    S = symplectic_form(6)
    np.testing.assert_allclose(W.T @ S @ W, S, atol=1e-12)


def test_unstable_matrix_raises():
    R = np.kron(np.eye(2), np.array([[2.0, 0.0], [0.0, 0.5]]))
    with pytest.raises(UnstableMatrixError, match="not stable"):
        linear_normal_form(R)
