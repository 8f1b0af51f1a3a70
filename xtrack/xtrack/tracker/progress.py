"""Progress bar of long tracking runs (tqdm)."""

from contextlib import contextmanager


@contextmanager
def progress_bar(total, desc):
    """A tqdm bar counting turns; `bar.update(n)` and `bar.n` as in tqdm."""
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, unit="turn")
    try:
        yield bar
    finally:
        bar.close()
