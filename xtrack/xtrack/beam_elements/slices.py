"""Elements defined by another element of the same line: `Replica`.

A `Replica` has no fields of its own: it stands for its parent element
(``parent_name``), which may itself be a replica. Lines resolve replicas to
their parent before tracking (the tracker places the parent object at the
replica's positions), so a change of the parent reaches every replica.
Tables, lengths and s positions read the resolved parent.
"""

from pathlib import Path

import xobjects as xo

from .base import BeamElement

_HERE = Path(__file__).resolve().parent

__all__ = ["Replica"]


class Replica(BeamElement):
    """Element that behaves exactly as the element named `parent_name`.

    Parameters
    ----------
    parent_name : str
        Name of the parent element in the same line or environment.
    """

    _xofields = {"parent_name": xo.String}
    _extra_c_sources = [_HERE / "replica.h"]

    def resolve(self, element_container, get_name=False):
        """The element this replica stands for (following chains of replicas).

        Parameters
        ----------
        element_container : mapping
            Elements by name (a line's or an environment's element dict).
        get_name : bool, default False
            Return the name of the resolved element instead of the element.

        Raises
        ------
        KeyError
            If a parent is not in `element_container`.
        RecursionError
            If the chain of parents is circular.
        """
        seen = []
        element = self
        name = None
        while isinstance(element, Replica):
            name = element.parent_name
            if name in seen:
                raise RecursionError(f"Replica: circular chain of parents {' -> '.join(seen + [name])}.")
            seen.append(name)
            if name not in element_container:
                raise KeyError(f"Replica: parent {name!r} is not an element of the line.")
            element = element_container[name]
        return name if get_name else element


def resolve_element(element, element_container):
    """`element`, or its resolved parent when it is a replica."""
    if isinstance(element, Replica):
        return element.resolve(element_container)
    return element
