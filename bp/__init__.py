"""bp: backpropagation, implemented the way the book derives it.

Only numpy is imported here. ``bp.symbolic`` (sympy) and ``bp.datasets.digits``
(scikit-learn) import what they need when they are used. The book's figures,
explorables and widgets are another package, ``bpbook``, built on this one: bp
never imports it.

    >>> import numpy as np, bp
    >>> rng = np.random.default_rng(0)
    >>> net = bp.Sequential([bp.Dense(2, 3, rng=rng), bp.Tanh(), bp.Dense(3, 1, rng=rng)])
    >>> net.forward(np.ones((4, 2))).shape
    (4, 1)
"""
from . import datasets, init
from .activations import ReLU, Sigmoid, Tanh, sigmoid
from .convolution import Conv2D, Flatten, MaxPool2D
from .curvature import hessian, sharpness
from .dense import Dense
from .errors import (BackwardBeforeForwardError, LabelError, NonFiniteError, ShapeError,
                     TrainingDiverged)
from .gradcheck import (GradcheckReport, gradcheck, gradcheck_layer, numerical_gradient,
                        relative_error)
from .layer import Layer
from .lstm import LSTM
from .losses import CrossEntropyLoss, MSELoss, softmax
from .network import Sequential
from .optim import SGD, Adam, AdamW, Optimizer
from .recurrent import RNN, LastTimeStep
from .training import History, TrainingWarning, accuracy, evaluate, fit

__version__ = "0.1.0"

__all__ = [
    "Layer", "Dense", "Sigmoid", "Tanh", "ReLU", "sigmoid", "softmax",
    "RNN", "LSTM", "LastTimeStep", "Conv2D", "MaxPool2D", "Flatten",
    "Sequential", "MSELoss", "CrossEntropyLoss", "Optimizer", "SGD", "Adam", "AdamW", "fit", "evaluate", "History", "accuracy",
    "gradcheck", "gradcheck_layer", "GradcheckReport", "numerical_gradient", "relative_error", "hessian", "sharpness",
    "ShapeError", "NonFiniteError", "LabelError", "BackwardBeforeForwardError", "TrainingDiverged", "TrainingWarning",
    "datasets", "init",
]
