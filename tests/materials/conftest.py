"""The campaign world, for the materials handed over in its activities."""

from tests.campaigns.conftest import world

__all__ = ["world"]
