"""Imports every domain's models so that metadata and migrations see them all.

Each domain owns its models in ``coop/<domain>/models.py``; this module only
gathers them (see ``coop.domains``).
"""
from coop.domains import domain_modules

MODEL_MODULES = tuple(domain_modules("models"))
