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


@pytest.fixture(autouse=True)
def _no_home_profiles(tmp_path_factory, monkeypatch) -> None:
    """No test reads or writes the real ~/.config: profiles live in a fresh folder."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def _no_home_history(tmp_path_factory, monkeypatch) -> None:
    """No test records into the real history: each test has a fresh database."""
    monkeypatch.setenv("POSECHECK_HISTORY",
                       str(tmp_path_factory.mktemp("history") / "history.sqlite3"))


@pytest.fixture(autouse=True)
def _no_home_sessions(tmp_path_factory, monkeypatch) -> None:
    """No test writes session summaries into the real ~/.local/share."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
