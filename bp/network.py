"""A network as a list of layers applied in order.

forward runs the layers first to last (forward propagation); backward runs
them last to first, each turning dC/d(its output) into dC/d(its input)
(backpropagation). That loop is the whole algorithm: every layer only
knows its own local derivative.
"""
from .dense import Dense
from .errors import as_float_array, check_finite
from .layer import Layer


class Sequential:
    """Layers applied one after another: ``Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng)])``."""

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: item {i} is {layer!r}, not a bp layer "
                                f"(Dense, Sigmoid, Tanh, ReLU, ...).")
        self.layers = layers

    def forward(self, X):
        """Forward propagation: X (N, n_in) -> the last layer's output."""
        X = as_float_array(X, "Sequential", "input X")
        check_finite(X, "Sequential", "input X")
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dY, input_grad=True):
        """Backpropagation: dC/d output -> dC/d input; fills every layer's grads.

        ``input_grad=False`` (what :func:`bp.fit` uses) lets a first Dense layer skip
        dC/d input and return None. The input is the data, which training never
        changes, so that matrix product would be wasted work; for a wide first layer
        it is a third of the products of a step. (PyTorch skips it too: data does not
        have ``requires_grad``.)
        """
        if not self.layers:  # no layers: the output is the input
            return dY
        for layer in reversed(self.layers[1:]):
            dY = layer.backward(dY)
        first = self.layers[0]
        # (A subclass of Dense with its own backward, a planted mistake say, gets the plain call.)
        if not input_grad and type(first).backward is Dense.backward:
            return first.backward(dY, input_grad=False)
        return first.backward(dY)

    @property
    def n_params(self):
        """Number of scalar parameters in the network."""
        return sum(layer.n_params for layer in self.layers)

    def parameters(self):
        """Yield (name, param, layer) for every parameter array, e.g. ("0.W", W, layer)."""
        for i, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{i}.{key}", value, layer

    def __repr__(self):
        inner = ",\n".join(f"  ({i}) {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)  # {self.n_params} parameters"
