__version__ = "26.11.0"
