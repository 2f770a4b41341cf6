"""Sigmoid, Tanh and ReLU.

Their gradients are checked in whole networks against finite differences
(test_network.py) and exactly against sympy (test_symbolic.py). Finite differences
mean nothing at ReLU's kink, so the value chosen there is tested on its own.
"""
import numpy as np

import bp


def test_relu_derivative_at_the_kink_is_zero_like_pytorch():
    relu = bp.ReLU()
    out = relu.forward(np.array([[-1.0, 0.0, 2.0]]))
    assert out.tolist() == [[0.0, 0.0, 2.0]]
    assert relu.backward(np.ones((1, 3))).tolist() == [[0.0, 0.0, 1.0]]
