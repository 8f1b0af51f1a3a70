"""Source preparation shared by the element kernels and the line kernel."""

import re

# Comment markers of the older per-particle style, mapped to the macros of
# xtrack/headers/track.h so that both spellings compile.
_START_COMMENT = re.compile(r"//\s*start_per_particle_block\s*\(\s*(\w+)\s*->\s*(\w+)\s*\)")
_END_COMMENT = re.compile(r"//\s*end_per_particle_block")


def prepare_source(source):
    """Rewrite ``//start_per_particle_block (part0->part)`` comments as macros."""
    source = _START_COMMENT.sub(r"START_PER_PARTICLE_BLOCK(\1, \2);", source)
    return _END_COMMENT.sub("END_PER_PARTICLE_BLOCK;", source)
