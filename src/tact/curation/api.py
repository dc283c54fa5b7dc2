"""API of the app (mounted at /api/curation by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["curation"], auth=AUTH)
