"""Shared fixtures: real footage from ../shared/realdata (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"


@pytest.fixture
def realdata() -> Path:
    """The real-footage folder beside the repo; tests using it skip when it is absent."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata not found: real-footage tests need the shared folder "
                    "beside the repo")
    return REALDATA
