"""User settings of xtrack: `xt.settings.progress_indicator = 'text'`.

`xt.settings` is the suite-wide `xobjects.settings` (one object for every
library); xtrack declares the settings it reads on it:

| setting | values | default |
| --- | --- | --- |
| `progress_indicator` | 'tqdm', 'text', 'suppress' | `$XSUITE_PROGRESS_INDICATOR`, else 'tqdm' |
| `print_mode` (xobjects) | 'print' (or 'normal'), 'suppress' | 'print' |

`with xt.settings.override(progress_indicator='suppress'): ...` changes
settings for a block and restores them afterwards, also on errors.
Informational output goes through `_print`, which honours `print_mode`.
"""

import os

from xobjects.settings import Settings, _print, settings

__all__ = ["Settings", "settings", "_print"]

_INDICATORS = ("tqdm", "text", "suppress")
_default_indicator = os.environ.get("XSUITE_PROGRESS_INDICATOR", "tqdm")
settings.declare("progress_indicator", _INDICATORS,
                 _default_indicator if _default_indicator in _INDICATORS else "tqdm")
