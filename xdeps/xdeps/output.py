"""Where xdeps prints to: tables shown, optimizer status and progress, ``info``.

xdeps prints through `_print`. By default that is ``print``; a library above
(xtrack) installs the suite-wide printer with `set_printer` when it is
imported, so that ``settings.print_mode = 'suppress'`` silences xdeps too
without xdeps importing anything of the suite.
"""

__all__ = ["set_printer"]

_printer = print


def set_printer(function):
    """Print with `function` (same signature as ``print``) from now on; None restores ``print``."""
    global _printer
    if function is not None and not callable(function):
        raise TypeError(f"set_printer: function must be callable or None, got {type(function).__name__}.")
    _printer = print if function is None else function


def _print(*args, **kwargs):
    _printer(*args, **kwargs)
