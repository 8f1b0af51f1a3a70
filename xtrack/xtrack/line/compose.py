"""Compose mode: a line defined by its composer, rebuilt from it on demand.

``env.new_line(compose=True)`` gives a line in mode ``'compose'``: it keeps
a :class:`~xtrack.line.builder.Composer` (``line.composer``) and its element
names are built from it whenever they are read, so the components can be
added one by one (``line.new(..., at=...)``, ``line.place(...)``) and
positions given by expressions follow the variables.
``line.end_compose()`` freezes the names (mode ``'normal'``);
``line.regenerate_from_composer()`` goes back to building from the composer.

Sums, negations and multiples of lines in compose mode are lines in compose
mode whose components are the operand lines (``-line`` mirrors).
"""

__all__ = ["new_compose_line", "end_compose", "regenerate_from_composer", "combine", "mirrored",
           "repeated", "is_composing"]


def is_composing(line):
    return line.__dict__.get("_mode") == "compose"


def new_compose_line(env, components=None, name=None, refer="center", length=None, s_tol=1e-6,
                     mirror=False):
    from .builder import Composer

    line = env._line_from_names([], name=name)
    line.composer = Composer(env, components=components, name=name, refer=refer, length=length,
                             s_tol=s_tol, mirror=mirror)
    line._mode = "compose"
    return line


def _require_composer(line, what):
    if getattr(line, "composer", None) is None:
        raise ValueError(f"{what}: the line has no composer (it was not built with new_line).")


def end_compose(line, diagnostics=False):
    """Build the names from the composer once and leave compose mode."""
    _require_composer(line, "end_compose")
    names = line.composer.build_names(diagnostics=diagnostics)
    line._mode = "normal"
    line.element_names = names
    return line


def regenerate_from_composer(line, diagnostics=False):
    """Rebuild the line from its composer (with the present variables); mode 'compose'."""
    _require_composer(line, "regenerate_from_composer")
    line.composer.build_names(diagnostics=diagnostics)  # errors now, not at the next read
    line._mode = "compose"
    line.discard_tracker()
    return line


def combine(lines):
    """Line in compose mode made of `lines` one after the other."""
    env = lines[0].env
    return new_compose_line(env, components=list(lines))


def mirrored(line):
    """`-line` for a line in compose mode: same components, mirror flipped."""
    composer = line.composer.copy()
    composer.mirror = not composer.mirror
    composer.name = None
    new = new_compose_line(line.env)
    new.composer = composer
    return new


def repeated(line, num):
    """`num * line` for a line in compose mode."""
    return new_compose_line(line.env, components=[line] * int(num))
