"""Types shared by the tests of refs, unions and the C API: a union of two structs.

``Node`` (dynamic: it holds a variable-length array) and ``Leaf`` (static)
are the members of the union ``Elem``.
"""

import xobjects as xo


class Node(xo.Struct):
    value = xo.Float64
    data = xo.Float64[:]


class Leaf(xo.Struct):
    n = xo.Int64


class Elem(xo.UnionRef):
    _reftypes = [Node, Leaf]
