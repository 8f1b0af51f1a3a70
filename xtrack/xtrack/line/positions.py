"""s positions of element entries and exits from their lengths."""

import numpy as np


def entries_and_exits(lengths):
    """(s of each entry, s of each exit) [m] for consecutive elements of `lengths` [m].

    An entry is the previous exit (a cumulative sum), not exit - length,
    which rounds differently (1.0 + 0.2 is 1.2, but 2.2 - 1.0 is not).
    """
    exits = np.cumsum(np.asarray(lengths, dtype=float))
    entries = np.concatenate([[0.0], exits[:-1]]) if len(exits) else exits.copy()
    return entries, exits
