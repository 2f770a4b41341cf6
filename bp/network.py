"""A network as a list of layers applied in order.

forward runs the layers first to last (forward propagation); backward runs
them last to first, each turning dC/d(its output) into dC/d(its input)
(backpropagation). That loop is the whole algorithm: every layer only
knows its own local derivative.
"""
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

    def backward(self, dY):
        """Backpropagation: dC/d output -> dC/d input; fills every layer's grads."""
        for layer in reversed(self.layers):
            dY = layer.backward(dY)
        return dY

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
