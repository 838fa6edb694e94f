"""The package's version, in a module of its own so that any module may import it."""

__version__ = "1.0.0"
