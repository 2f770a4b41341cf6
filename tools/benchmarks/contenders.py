"""The contenders: one epoch of minibatch SGD as bp, PyTorch and scikit-learn each train,
and PyTorch layers set to a bp layer's weights.

Every epoch class has the same four methods: __init__(sizes, weights, X, y,
batch_size, lr) builds the network from bp's initial weights, reset() puts those
weights back (untimed, before each timed epoch), epoch(seed) trains one epoch on
the shuffle order_of(seed) and returns the epoch loss, weights() returns the
trained weights as bp's (W, b) pairs for the agreement check.
"""
import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import bp

warnings.filterwarnings("ignore", category=ConvergenceWarning)  # max_iter=1 is on purpose


def order_of(seed, n):
    """The shuffle of one epoch: what bp.fit draws from default_rng(seed)."""
    return np.random.default_rng(seed).permutation(n)


class BpFit:
    """bp.fit(..., epochs=1, batch_size, rng=default_rng(seed)): the way a reader trains."""

    name = "bp"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i:
                layers.append(bp.ReLU())
            layers.append(bp.Dense(n_in, n_out, init="zeros"))
        self.net = bp.Sequential(layers)
        self.dense = [layer for layer in self.net.layers if isinstance(layer, bp.Dense)]
        self.loss = bp.CrossEntropyLoss()
        self.opt = bp.SGD(self.net, lr)
        self.X, self.y, self.batch_size, self.weights0 = X, y, batch_size, weights
        self.reset()

    def reset(self):
        for layer, (W, b) in zip(self.dense, self.weights0):
            layer.params["W"][...] = W  # in place: SGD updates these same arrays
            layer.params["b"][...] = b

    def epoch(self, seed):
        history = bp.fit(self.net, self.loss, self.X, self.y, self.opt, epochs=1,
                         batch_size=self.batch_size, rng=np.random.default_rng(seed))
        return history.loss[0]

    def weights(self):
        return [(layer.params["W"].copy(), layer.params["b"].copy()) for layer in self.dense]


class Torch:
    """The usual PyTorch loop: zero_grad, forward, CrossEntropyLoss, backward, SGD step."""

    name = "torch"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        modules = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            if i:
                modules.append(torch.nn.ReLU())
            modules.append(torch.nn.Linear(n_in, n_out, dtype=torch.float64))
        self.model = torch.nn.Sequential(*modules)
        self.linear = [m for m in modules if isinstance(m, torch.nn.Linear)]
        self.loss = torch.nn.CrossEntropyLoss()  # mean over the batch, like bp's
        self.opt = torch.optim.SGD(self.model.parameters(), lr=lr)  # no momentum, no decay
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)  # shares memory: no copy
        self.batch_size, self.weights0 = batch_size, weights
        self.reset()

    def reset(self):
        with torch.no_grad():
            for linear, (W, b) in zip(self.linear, self.weights0):
                linear.weight.copy_(torch.from_numpy(W))  # nn.Linear stores W as (n_out, n_in), as bp
                linear.bias.copy_(torch.from_numpy(b))

    def epoch(self, seed):
        order = torch.from_numpy(order_of(seed, len(self.X)))
        total = 0.0
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            self.opt.zero_grad()
            loss = self.loss(self.model(self.X[idx]), self.y[idx])
            loss.backward()
            self.opt.step()
            total += loss.item() * len(idx)
        return total / len(order)

    def weights(self):
        return [(m.weight.detach().numpy().copy(), m.bias.detach().numpy().copy()) for m in self.linear]


class Sklearn:
    """MLPClassifier(solver="sgd"), one epoch per fit() on the data permuted by the epoch's order."""

    name = "sklearn"

    def __init__(self, sizes, weights, X, y, batch_size, lr):
        self.clf = MLPClassifier(
            hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="sgd", alpha=0.0,
            batch_size=batch_size, learning_rate="constant", learning_rate_init=lr,
            momentum=0.0, nesterovs_momentum=False, shuffle=False, max_iter=1,
            warm_start=True, early_stopping=False, n_iter_no_change=10**9)
        # One partial_fit on one example of each class creates the model's attributes
        # (classes, softmax output); the weights are then replaced by bp's in reset().
        one_each = [np.flatnonzero(y == k)[0] for k in range(sizes[-1])]
        with warnings.catch_warnings():  # "batch_size larger than sample size": expected here
            warnings.simplefilter("ignore", UserWarning)
            self.clf.partial_fit(X[one_each], y[one_each], classes=np.arange(sizes[-1]))
        self.X, self.y, self.weights0 = X, y, weights
        self.reset()

    def reset(self):
        self.clf.coefs_ = [W.T.copy() for W, _ in self.weights0]  # sklearn: (n_in, n_out)
        self.clf.intercepts_ = [b.copy() for _, b in self.weights0]

    def epoch(self, seed):
        order = order_of(seed, len(self.X))
        self.clf.fit(self.X[order], self.y[order])
        return self.clf.loss_  # mean over the epoch of each batch's mean loss, as bp.fit's

    def weights(self):
        return [(W.T.copy(), b.copy()) for W, b in zip(self.clf.coefs_, self.clf.intercepts_)]


CONTENDERS = (BpFit, Torch, Sklearn)


def torch_conv2d_like(conv):
    """torch.nn.Conv2d with bp.Conv2D `conv`'s shape and weights (both store W as (out, in, kh, kw))."""
    tconv = torch.nn.Conv2d(conv.c_in, conv.c_out, conv.kernel_size, stride=conv.stride,
                            padding=conv.padding, dtype=torch.float64)
    with torch.no_grad():
        tconv.weight.copy_(torch.from_numpy(conv.params["W"]))
        tconv.bias.copy_(torch.from_numpy(conv.params["b"]))
    return tconv


def torch_rnn_like(rnn):
    """torch.nn.RNN (tanh, batch first) with bp.RNN `rnn`'s weights."""
    trnn = torch.nn.RNN(rnn.n_in, rnn.n_hidden, nonlinearity="tanh", batch_first=True,
                        dtype=torch.float64)
    with torch.no_grad():
        trnn.weight_ih_l0.copy_(torch.from_numpy(rnn.params["W_xh"]))
        trnn.weight_hh_l0.copy_(torch.from_numpy(rnn.params["W_hh"]))
        trnn.bias_ih_l0.copy_(torch.from_numpy(rnn.params["b"]))  # bp's b is b_ih + b_hh
        trnn.bias_hh_l0.zero_()
    return trnn
