"""The line tracker: one compiled kernel over particles, turns and elements."""
