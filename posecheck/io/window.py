"""Where the live picture goes: an OpenCV window with keys, or nowhere (`--no-window`)."""

from __future__ import annotations

import os
import sys

import cv2
import numpy as np

from posecheck.io.video import InputError

TITLE = "posecheck"
#: Keys the live loop understands -> what they do.
KEYS = {ord("q"): "quit", 27: "quit", ord(" "): "pause", ord("s"): "side", ord("r"): "reset",
        ord("n"): "next"}


class NoWindow:
    """Shows nothing and is never closed: for scripts, tests and recording only."""

    interactive = False

    def show(self, picture: np.ndarray) -> str | None:
        return None

    def close(self) -> None:
        pass


class Window:
    """An OpenCV window. `show` returns the action of a key pressed since the last call
    ('quit' also when the window was closed), or None."""

    interactive = True

    def __init__(self) -> None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY")):
            raise InputError("no display to show a window on: run with --no-window "
                             "(add --record FILE to keep the picture)")
        cv2.namedWindow(TITLE, cv2.WINDOW_NORMAL | cv2.WINDOW_GUI_NORMAL)  # no toolbar
        self._shown = False

    def show(self, picture: np.ndarray) -> str | None:
        if not self._shown:
            cv2.resizeWindow(TITLE, picture.shape[1], picture.shape[0])
            self._shown = True
        cv2.imshow(TITLE, picture)
        key = cv2.waitKey(1) & 0xFF
        if cv2.getWindowProperty(TITLE, cv2.WND_PROP_VISIBLE) < 1:
            return "quit"
        return KEYS.get(key)

    def close(self) -> None:
        cv2.destroyWindow(TITLE)
        cv2.waitKey(1)
