"""Reverse-mode automatic differentiation of scalar expressions: backpropagation on any graph.

A :class:`Value` holds a number, the Values it was computed from, and a function that
passes a gradient back to them. Every operation below builds one node of the
computational graph in its forward computation, and next to it writes its *local*
derivatives: how its output moves when each input moves. ``backward()`` visits the
nodes from the output back to the inputs (a reverse topological order) and applies
the chain rule at each: a node's gradient times its local derivative is added to each
input's gradient.

The gates teach the whole algorithm:

- ``a + b`` distributes: both inputs receive the output's gradient unchanged;
- ``a * b`` swaps: ``a`` receives ``b`` times the gradient, ``b`` receives ``a`` times it;
- ``relu`` (like max) routes: the gradient passes where the input was positive, 0 elsewhere;
- where a value is used twice (a fork), the gradients from both uses **add** (``+=``).

As in PyTorch, the gradients of the inputs (the leaves of the graph) accumulate:
calling ``backward()`` twice adds the second result to the first. Set ``v.grad = 0``
on the inputs first to start again.

Scalar nodes are far too slow for real networks, where ``bp``'s layers do the same
thing a matrix at a time; this module is for seeing backpropagation on a graph, and
for checking that the layers compute what the graph does (tests/test_autodiff.py).
It is as small as micrograd (Karpathy), whose design it follows. The chapter
"Backpropagation on a computational graph" derives it.
"""
import math


class Value:
    """A scalar in a computational graph, with the gradient of the output with respect to it."""

    def __init__(self, data, parents=(), op=""):
        self.data = float(data)
        self.grad = 0.0                    # d(output)/d(self), filled in by backward()
        self._parents = parents
        self._op = op                      # the operation that made this value, for printing
        self._backward = lambda: None      # passes self.grad on to the parents

    # --- arithmetic: forward value, then the local derivatives ------------------------

    def __add__(self, other):
        other = as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():                   # d(a + b)/da = d(a + b)/db = 1: add distributes
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():                   # d(ab)/da = b, d(ab)/db = a: multiply swaps
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if not isinstance(exponent, (int, float)):
            raise TypeError(f"Value ** {exponent!r}: only a fixed number is supported as exponent.")
        out = Value(self.data ** exponent, (self,), f"**{exponent:g}")

        def _backward():                   # d(a^k)/da = k a^(k-1)
            self.grad += exponent * self.data ** (exponent - 1) * out.grad
        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-as_value(other))

    def __truediv__(self, other):
        return self * as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return as_value(other) - self

    def __rtruediv__(self, other):
        return as_value(other) / self

    # --- functions -------------------------------------------------------------------

    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():                   # tanh'(a) = 1 - tanh(a)^2, from the output
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        e = math.exp(self.data)
        out = Value(e, (self,), "exp")

        def _backward():                   # exp' = exp, the output itself
            self.grad += e * out.grad
        out._backward = _backward
        return out

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log of {self.data}: expected a positive number.")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():                   # log'(a) = 1/a
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():                   # routes: 1 where a > 0, else 0 (0 at a = 0, as PyTorch)
            self.grad += (self.data > 0) * out.grad
        out._backward = _backward
        return out

    # --- the backward pass -----------------------------------------------------------

    def backward(self):
        """Fill ``.grad`` of every Value this one depends on with d(self)/d(that value)."""
        # A topological order: every value after the values it was made from (depth first,
        # with a stack rather than recursion, so that long chains of sums do not overflow).
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, parents_done = stack.pop()
            if parents_done:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((parent, False) for parent in v._parents)
        for v in order:                    # what a previous backward() left in the graph
            if v._parents:
                v.grad = 0.0
        self.grad += 1.0                   # d(self)/d(self)
        for v in reversed(order):          # each node after every node that uses it
            v._backward()

    def __repr__(self):
        return f"Value({self.data:.6g}, grad={self.grad:.6g})"


def as_value(x):
    """x itself if it is a Value, else a constant Value (a leaf nobody asks the gradient of)."""
    return x if isinstance(x, Value) else Value(x)


def graph_size(output):
    """The number of nodes of the graph that computes ``output`` (inputs and constants included)."""
    seen, stack = set(), [output]
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            stack.extend(v._parents)
    return len(seen)
