"""The bundled demo market: a local site that looks like the real black market (see SITE.md)."""

from .content import Listing
from .server import DemoMarket

__all__ = ["DemoMarket", "Listing"]
