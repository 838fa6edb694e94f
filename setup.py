"""Thin shim so tools that still call ``setup.py`` work; metadata lives in pyproject.toml."""

from setuptools import setup

setup()
