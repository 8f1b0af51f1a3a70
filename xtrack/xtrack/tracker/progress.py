"""Progress bar of long tracking runs, following `xt.settings.progress_indicator`."""

from contextlib import contextmanager

from ..progress_indicator import progress


class _NoBar:
    """Stand-in when progress display is suppressed: counts, shows nothing."""

    def __init__(self):
        self.n = 0

    def update(self, n=1):
        self.n += n

    def close(self):
        pass


@contextmanager
def progress_bar(total, desc):
    """A bar counting turns with `update(n)` and `n` (tqdm-like)."""
    bar = progress(None, desc=desc, total=total)
    if bar is None or not hasattr(bar, "update"):
        bar = _NoBar()
    try:
        yield bar
    finally:
        bar.close()
