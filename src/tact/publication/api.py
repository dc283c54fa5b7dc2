"""API of the app (mounted at /api/publication by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["publication"], auth=AUTH)
