"""The accounts world (one user per access case) for the shared pieces' tests."""

from tests.accounts.conftest import world  # noqa: F401
