#!/usr/bin/env bash
# Install the six libraries of the suite in editable mode with their test
# extras, all in one pip call so that pip takes every sibling from this
# repository (PyPI holds unrelated packages under the same names).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
python3 -m pip install --disable-pip-version-check --root-user-action=ignore -q \
    -e "./xobjects[test]" \
    -e "./xdeps[test]" \
    -e "./xpart[test]" \
    -e "./xtrack[test]" \
    -e "./xfields[test]" \
    -e "./lossmaps[test]"
# The launcher package alone: its dependencies are the libraries just installed.
python3 -m pip install --disable-pip-version-check --root-user-action=ignore -q --no-deps -e .
