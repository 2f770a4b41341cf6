"""A network as a list of layers applied in order.

forward runs the layers first to last (forward propagation); backward runs
them last to first, each turning dC/d(its output) into dC/d(its input)
(backpropagation). That loop is the whole algorithm: every layer only
knows its own local derivative.

Each layer keeps what its last forward pass needs for backward. So that
backward never uses the wrong values, the network

- refuses one layer object in two places (it would keep one pass's values);
- copies an input the caller could still change, and hands out outputs that
  cannot be changed in place (PyTorch raises an error for both);
- notices when a layer has run a forward pass elsewhere since the network's
  own forward (a layer shared with another network), and says so at backward;
- offers ``predict``, a forward pass that keeps nothing (like ``torch.no_grad()``),
  for evaluation between a loss and its backward.
"""
import numpy as np

from .errors import ShapeError, as_float_array, check_finite
from .layer import Layer
from .losses import softmax


class Sequential:
    """Layers applied one after another: ``Sequential([Dense(2, 3, rng=rng), Tanh(), Dense(3, 1, rng=rng)])``."""

    def __init__(self, layers):
        layers = list(layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: item {i} is {layer!r}, not a bp layer "
                                f"(Dense, Sigmoid, Tanh, ReLU, ...).")
            for j in range(i):
                if layers[j] is layer:
                    raise ValueError(
                        f"Sequential: layer {i} ({layer!r}) is the same object as layer {j}. A layer "
                        f"keeps the values of its own forward pass for backward, so one object cannot "
                        f"stand in two places: create a new {type(layer).__name__}() for each place.")
        self.layers = layers
        self._forward_caches = None   # what each layer stored in this network's last forward

    def forward(self, X):
        """Forward propagation: X (N, n_in) -> the last layer's output (read-only)."""
        X = as_float_array(X, "Sequential", "input X")
        check_finite(X, "Sequential", "input X")
        if X.flags.writeable:
            X = X.copy()    # the caller may change their array before backward: keep our own
        for layer in self.layers:
            X = layer.forward(X)
            X.flags.writeable = False   # later layers and backward may need these values as they are
        self._forward_caches = [layer._cache for layer in self.layers]
        return X

    def __call__(self, X):
        """``net(X)`` is ``net.forward(X)``, as in PyTorch."""
        return self.forward(X)

    def predict(self, X):
        """The output for X, keeping nothing for backward (like ``torch.no_grad()``).

        What the last ``forward`` stored stays in place, so a backward still pending
        (after ``loss.forward``, say) uses the training batch, not X.
        """
        kept = [layer._cache for layer in self.layers], self._forward_caches
        try:
            return self.forward(X)
        finally:
            for layer, cache in zip(self.layers, kept[0]):
                layer._cache = cache
            self._forward_caches = kept[1]

    def predict_proba(self, X):
        """Class probabilities (N, K) for a classifier whose last layer gives K >= 2 logits
        (trained with CrossEntropyLoss): the softmax of ``predict(X)``, row by row."""
        logits = self.predict(X)
        if logits.ndim != 2 or logits.shape[1] < 2:
            raise ShapeError(f"Sequential.predict_proba: expected the network to output K >= 2 "
                             f"logits per example, one per class (as CrossEntropyLoss trains), "
                             f"got outputs of shape {logits.shape}. For a regression network use "
                             f"net.predict(X).")
        return softmax(logits)

    def backward(self, dY, input_grad=True):
        """Backpropagation: dC/d output -> dC/d input; fills every layer's grads.

        ``input_grad=False`` (what :func:`bp.fit` uses) lets the first layer skip
        dC/d input and return None. The input is the data, which training never
        changes, so that work would be wasted; for a wide first layer it is a third
        of the products of a step. (PyTorch skips it too: data does not have
        ``requires_grad``.)
        """
        if not self.layers:  # no layers: the output is the input
            return dY
        for i, layer in enumerate(self.layers):
            if self._forward_caches is not None and layer._cache is not self._forward_caches[i]:
                raise RuntimeError(
                    f"Sequential.backward: layer {i} ({layer!r}) has run a forward pass elsewhere "
                    f"(in another network, or on its own) since this network's forward, and now "
                    f"holds that pass's values: the gradients would be wrong. Run this network's "
                    f"forward again before backward, or give each network its own layer objects.")
        for layer in reversed(self.layers[1:]):
            dY = layer.backward(dY)
        if input_grad:
            return self.layers[0].backward(dY)
        return self.layers[0].backward(dY, input_grad=False)

    @property
    def n_params(self):
        """Number of scalar parameters in the network."""
        return sum(layer.n_params for layer in self.layers)

    def named_parameters(self):
        """Yield (name, param, layer, key) for every parameter array: name is "0.W" for
        ``layers[0].params["W"]``; its gradient, after backward, is ``layer.grads[key]``."""
        for i, layer in enumerate(self.layers):
            for key, value in layer.params.items():
                yield f"{i}.{key}", value, layer, key

    def parameters(self):
        """Yield (name, param, layer) for every parameter array, e.g. ("0.W", W, layer)."""
        for name, value, layer, _ in self.named_parameters():
            yield name, value, layer

    def state_dict(self):
        """Copies of every parameter, keyed by name ("0.W", "0.b", ...), as in PyTorch.

        Save it with ``np.savez(path, **net.state_dict())``; load it into a network of
        the same architecture with ``net.load_state_dict(dict(np.load(path)))``.
        """
        return {name: value.copy() for name, value, _, _ in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy the arrays of ``state`` into this network's parameters, in place.

        Every parameter must be there with its shape, and nothing else: a clear error
        names what is missing, unexpected or of the wrong shape, and nothing is changed.
        """
        names = [name for name, _, _, _ in self.named_parameters()]
        missing = [name for name in names if name not in state]
        unexpected = [name for name in state if name not in names]
        if missing or unexpected:
            raise KeyError(f"load_state_dict: the state does not fit {self.n_params}-parameter "
                           f"network: missing: {', '.join(missing) or 'none'}; "
                           f"unexpected: {', '.join(unexpected) or 'none'}.")
        for name, value, _, _ in self.named_parameters():
            given = np.asarray(state[name])
            if given.shape != value.shape:
                raise ShapeError(f"load_state_dict: {name} has shape {given.shape} in the state, "
                                 f"but the network's {name} has shape {value.shape}.")
        for name, value, _, _ in self.named_parameters():
            value[...] = state[name]

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_forward_caches"] = None   # values of the last forward pass are not saved
        return state

    def __repr__(self):
        inner = ",\n".join(f"  ({i}) {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{inner}\n)  # {self.n_params} parameters"
