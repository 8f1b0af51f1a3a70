"""The default context: serial CPU."""

from .cpu import ContextCpu

context_default = ContextCpu()
