"""API of the app (mounted at /api/consortium by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["consortium"], auth=AUTH)
