"""Entry point of the group ``xtrack.extensions`` (see xtrack/extensions.py)."""


def register(add):
    """Give xtrack every extension method that xfields provides."""
    import xfields

    for name, function in xfields.xtrack_extensions.items():
        add(name, function)
