"""API of the app (mounted at /api/events by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["events"], auth=AUTH)
