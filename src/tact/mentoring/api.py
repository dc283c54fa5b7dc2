"""API of the app (mounted at /api/mentoring by tact.api.api)."""

from ninja import Router

from tact.accounts.api import AUTH

router = Router(tags=["mentoring"], auth=AUTH)
