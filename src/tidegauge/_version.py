"""The package version (a module of its own, so importing it does not import the package API)."""

__version__ = "0.1.0"
