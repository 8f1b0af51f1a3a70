"""The xpart functions bound to one line: ``line.xpart.<function>(...)``.

`XpartLineAPI(line)` offers the particle generators of xpart as methods.
The generators that need optics (closed orbit, normal form, RF bucket)
receive ``line=<the owning line>`` unless the caller passes the deprecated
``tracker`` argument, in which case the call is handed on untouched; the
generators that need no line are handed on as they are. Every call looks
the function up on the `xpart` module when it is made, so a function
replaced there (a wrapper, a test double) is the one that runs.

The docstring of each method is that of the xpart function, rewritten for
the bound form: examples call ``line.xpart.<name>(...)`` and the ``line``
parameter says that it defaults to the owning line.

xpart does not import xtrack: a line object is only stored and handed on.
"""

import re

__all__ = ["XpartLineAPI", "LINE_BOUND_FUNCTIONS", "LINE_FREE_FUNCTIONS"]

LINE_BOUND_FUNCTIONS = (
    "generate_matched_gaussian_bunch",
    "generate_matched_gaussian_multibunch_beam",
    "generate_2D_pencil_with_absolute_cut",
    "generate_longitudinal_coordinates",
    "generate_binomial_longitudinal_coordinates",
    "generate_parabolic_longitudinal_coordinates",
    "generate_qgaussian_longitudinal_coordinates",
)
LINE_FREE_FUNCTIONS = (
    "generate_2D_polar_grid",
    "generate_2D_uniform_circular_sector",
    "generate_2D_pencil",
    "generate_2D_gaussian",
    "generate_hypersphere_2D",
    "generate_hypersphere_4D",
    "generate_hypersphere_6D",
)

_OWNER_LINE = "Defaults to the line owning this ``xpart`` container."
_EMPTY_LINE = "line = xt.Line(elements=[], element_names=[])"


def _xpart():
    import xpart

    return xpart


def _rewrite_calls(text, name):
    """Replace module-level calls of `name` in examples by the bound form."""
    text = re.sub(rf"\b(?:xp|xpart)\.{name}\(", f"line.xpart.{name}(", text)
    text = re.sub(rf"from xpart(?:\.\w+)* import {name}\b", "import xtrack as xt", text)
    text = re.sub(r",?\s*\bline\s*=\s*line\b", "", text)
    return text


def _rewrite_line_parameter(text):
    """Make the ``line`` parameter entry say that it defaults to the owning line."""
    lines = text.splitlines()
    out, i, found = [], 0, False
    while i < len(lines):
        current = lines[i]
        match = re.match(r"^(\s*)line\s*:", current)
        if match and not found:
            found = True
            indent = match.group(1)
            out.append(f"{indent}line : Line, optional")
            out.append(f"{indent}    {_OWNER_LINE}")
            i += 1
            while (i < len(lines) and lines[i].strip()
                   and len(lines[i]) - len(lines[i].lstrip()) > len(indent)):
                i += 1
            continue
        out.append(current)
        i += 1
    text = "\n".join(out)
    if not found:
        text += f"\n\nParameters\n----------\nline : Line, optional\n    {_OWNER_LINE}\n"
    return text


def _dedent_doc(doc):
    import inspect

    return inspect.cleandoc(doc or "")


def _bound_doc(name, line_bound):
    source = _dedent_doc(getattr(_xpart(), name).__doc__)
    text = _rewrite_calls(source, name)
    if line_bound:
        text = _rewrite_line_parameter(text)
        example = ["", "Examples", "--------", f">>> out = line.xpart.{name}(...)",
                   f"(the same as xpart.{name}(..., line=<this line>))"]
    else:
        example = ["", "Examples", "--------", f">>> {_EMPTY_LINE}",
                   f">>> out = line.xpart.{name}(...)",
                   "(the line plays no part: the same as calling the xpart function)"]
    return text + "\n" + "\n".join(example) + "\n"


def _make_bound(name):
    def method(self, *args, **kwargs):
        func = getattr(_xpart(), name)
        if kwargs.get("tracker") is None and "line" not in kwargs:
            kwargs["line"] = self.line
        return func(*args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"XpartLineAPI.{name}"
    method.__doc__ = _bound_doc(name, line_bound=True)
    return method


def _make_free(name):
    def method(self, *args, **kwargs):
        return getattr(_xpart(), name)(*args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"XpartLineAPI.{name}"
    method.__doc__ = _bound_doc(name, line_bound=False)
    return method


class XpartLineAPI:
    """The xpart particle generators bound to one line (``line.xpart``).

    Parameters
    ----------
    line : Line
        The owning line, given as ``line=`` to the generators that need
        optics.
    """

    def __init__(self, line):
        self.line = line

    def build_particles(self, *args, **kwargs):
        """Create particles for the owning line (see `Line.build_particles`).

        Parameters
        ----------
        line : Line, optional
            Defaults to the line owning this ``xpart`` container.
        *args, **kwargs
            Arguments of `Line.build_particles` (particle_ref, x, px, ...,
            x_norm, ..., nemitt_x, nemitt_y, at_element, ...). With the
            deprecated ``tracker`` argument the call goes to
            `xpart.build_particles` unchanged.

        Returns
        -------
        Particles
        """
        if kwargs.get("tracker") is not None or "line" in kwargs:
            return _xpart().build_particles(*args, **kwargs)
        return self.line.build_particles(*args, **kwargs)

    def __repr__(self):
        return f"<XpartLineAPI of {type(self.line).__name__} at {id(self.line):#x}>"


for _name in LINE_BOUND_FUNCTIONS:
    setattr(XpartLineAPI, _name, _make_bound(_name))
for _name in LINE_FREE_FUNCTIONS:
    setattr(XpartLineAPI, _name, _make_free(_name))
del _name
