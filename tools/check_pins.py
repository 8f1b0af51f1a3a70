#!/usr/bin/env python3
"""Check that every library pins its sibling libraries at their current version.

STYLE.md section 8: siblings are pinned exactly and bumped together. Run from
anywhere: ``python tools/check_pins.py``; exits 1 and lists the mismatches.
"""

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
LIBRARIES = ("xobjects", "xdeps", "xpart", "xtrack", "xfields", "lossmaps")
_VERSION_RE = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")
_REQ_RE = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*(.*)$")


def library_version(repo, library):
    text = (repo / library / library / "_version.py").read_text()
    match = _VERSION_RE.search(text)
    if not match:
        raise ValueError(f"no __version__ in {library}/{library}/_version.py")
    return match.group(1)


def pin_mismatches(repo=REPO):
    """Return a list of messages, one per sibling requirement not pinned exactly."""
    versions = {lib: library_version(repo, lib) for lib in LIBRARIES}
    problems = []
    for lib in LIBRARIES:
        project = tomllib.loads((repo / lib / "pyproject.toml").read_text())["project"]
        requirements = list(project.get("dependencies", []))
        for extra in project.get("optional-dependencies", {}).values():
            requirements += extra
        for requirement in requirements:
            name, spec = _REQ_RE.match(requirement).groups()
            if name not in versions:
                continue
            expected = f"=={versions[name]}"
            if spec.replace(" ", "") != expected:
                problems.append(
                    f"{lib}/pyproject.toml requires {requirement!r}; "
                    f"expected {name}{expected}"
                )
    return problems


def main():
    problems = pin_mismatches()
    for problem in problems:
        print(problem)
    if not problems:
        print("sibling pins match: " + ", ".join(
            f"{lib} {library_version(REPO, lib)}" for lib in LIBRARIES))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
