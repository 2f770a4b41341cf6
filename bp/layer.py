"""The interface every layer shares.

A layer maps an input batch to an output batch with ``forward`` and maps
the gradient of the cost with respect to its output back to the gradient
with respect to its input with ``backward``. Along the way ``backward``
fills ``self.grads`` (dC/d parameter), one array per entry of
``self.params``, with the same key and shape.

Gradients are *assigned*, not accumulated: calling ``backward`` twice after
one ``forward`` gives the same gradients both times. (PyTorch accumulates
into ``.grad`` and needs ``zero_grad()``; for a textbook the simpler rule
is clearer.)

``backward(dY, input_grad=False)`` may skip dC/d input and return None: the
first layer of a network being trained gets the data as input, and nothing
needs the data's gradient (``Sequential.backward`` asks for that).
"""
from .errors import BackwardBeforeForwardError


class Layer:
    """Base class: holds ``params``, ``grads`` and what forward stored for backward."""

    def __init__(self):
        self.params = {}
        self.grads = {}
        self._cache = None  # what forward() keeps for backward(); None until forward runs

    def __call__(self, *args, **kwargs):
        """``layer(X)`` is ``layer.forward(X)``, as in PyTorch."""
        return self.forward(*args, **kwargs)

    def forward(self, X):  # pragma: no cover - every layer overrides it
        raise NotImplementedError

    def backward(self, dY, input_grad=True):  # pragma: no cover - every layer overrides it
        raise NotImplementedError

    def _cached(self):
        """Return what forward() stored, or explain that forward() must come first."""
        if self._cache is None:
            raise BackwardBeforeForwardError(
                f"{self!r}: backward() was called before forward(). Run forward(X) on a batch "
                f"first; backward needs the values it stores."
            )
        return self._cache

    def __getstate__(self):
        # Pickling saves the parameters, not the values of the last forward pass.
        state = self.__dict__.copy()
        state["_cache"] = None
        return state

    @property
    def n_params(self):
        """Number of scalar parameters in this layer."""
        return sum(p.size for p in self.params.values())

    def __repr__(self):
        return f"{type(self).__name__}()"
