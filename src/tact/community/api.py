"""API of the app (mounted at /api/community by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["community"], auth=AUTH)
