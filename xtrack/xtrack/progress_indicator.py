"""Progress indicators of long loops (tracking turns, loading, slicing).

`progress(iterable, desc=..., total=...)` wraps an iterable according to
`xt.settings`: a tqdm bar ('tqdm', the default), a plain text line per
10 % ('text'), or the iterable itself ('suppress', or when
`settings.print_mode == 'suppress'`).
"""

import sys
import time

from .settings import settings

__all__ = ["progress", "DefaultProgressIndicator"]


def _tqdm_class():
    from tqdm.auto import tqdm

    return tqdm


class _Config:
    """Which class makes the 'tqdm' indicator (replaceable, e.g. in tests)."""

    @property
    def default_indicator_cls(self):
        return self.__dict__.get("default_indicator_cls") or _tqdm_class()

    @default_indicator_cls.setter
    def default_indicator_cls(self, cls):
        self.__dict__["default_indicator_cls"] = cls


_config = _Config()


class DefaultProgressIndicator:
    """Text progress: one line per 10 % of the iterations, with elapsed time."""

    def __init__(self, iterable=None, desc="", total=None, file=None, **options):
        self.iterable = iterable
        self.desc = desc
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)
        self.file = file or sys.stderr
        self.n = 0
        self._next_report = 0.1
        self._t0 = time.perf_counter()

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)
        self.close()

    def update(self, n=1):
        self.n += n
        if self.total and self.n / self.total >= self._next_report:
            elapsed = time.perf_counter() - self._t0
            print(f"{self.desc}: {self.n}/{self.total} ({100 * self.n / self.total:.0f} %, {elapsed:.1f} s)",
                  file=self.file)
            while self.n / self.total >= self._next_report:
                self._next_report += 0.1

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def progress(iterable=None, desc="", total=None, **options):
    """The iterable wrapped in the indicator that the settings select (see the module docstring)."""
    if settings.print_mode == "suppress" or settings.progress_indicator == "suppress":
        return iterable
    if settings.progress_indicator == "text":
        return DefaultProgressIndicator(iterable, desc=desc, total=total, **options)
    return _config.default_indicator_cls(iterable, desc=desc, total=total, **options)
