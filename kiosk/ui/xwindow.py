"""Whether the kiosk's own window is on the X screen, asked of the X server.

A window manager can hide the window without telling the app: matchbox (the X
session's, deploy/x11) answers a minimise request from any client by unmapping
its frame only, so the app's window stays mapped inside an unmapped parent. SDL
then sends no "minimised" or "hidden" event and Kivy's `on_minimize` never fires:
the panel is black while the app runs on (and feeds the watchdog). The app asks
the server instead, on its own connection, through libX11 (which SDL's X11 video
driver loads anyway); without X (Wayland, KMS, off-screen) there is nothing to ask.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from typing import Any

log = logging.getLogger(__name__)

IS_VIEWABLE = 2  # XWindowAttributes.map_state: IsUnmapped 0, IsUnviewable 1, IsViewable 2


class _Attributes(ctypes.Structure):
    """Xlib's XWindowAttributes."""

    _fields_ = [
        ("x", ctypes.c_int),
        ("y", ctypes.c_int),
        ("width", ctypes.c_int),
        ("height", ctypes.c_int),
        ("border_width", ctypes.c_int),
        ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p),
        ("root", ctypes.c_ulong),
        ("class_", ctypes.c_int),
        ("bit_gravity", ctypes.c_int),
        ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int),
        ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong),
        ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong),
        ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int),
        ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long),
        ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int),
        ("screen", ctypes.c_void_p),
    ]


class MapWatch:
    """The map state of one X window, on a connection of its own."""

    def __init__(self, xlib: Any, display: int, window: int):
        self._xlib, self._display, self.window = xlib, display, window

    @classmethod
    def of_kivy_window(cls, window: Any) -> MapWatch | None:
        """A watch on Kivy's window, or None when it is not an X11 window."""
        info_of = getattr(window, "get_window_info", None)
        info = info_of() if info_of is not None else None
        xid = getattr(info, "window", None) if type(info).__name__ == "WindowInfoX11" else None
        if not xid or not os.environ.get("DISPLAY"):
            return None
        name = ctypes.util.find_library("X11")
        if name is None:
            return None
        xlib = ctypes.CDLL(name)
        xlib.XOpenDisplay.argtypes, xlib.XOpenDisplay.restype = [ctypes.c_char_p], ctypes.c_void_p
        xlib.XGetWindowAttributes.argtypes = [
            ctypes.c_void_p,
            ctypes.c_ulong,
            ctypes.POINTER(_Attributes),
        ]
        xlib.XGetWindowAttributes.restype = ctypes.c_int
        xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
        display = xlib.XOpenDisplay(None)
        if not display:
            log.warning("window: cannot open the X display to watch the window")
            return None
        return cls(xlib, display, int(xid))

    def viewable(self) -> bool:
        """Whether the window and every window around it (the manager's frame) are
        mapped: what the panel shows is the app."""
        attributes = _Attributes()
        if not self._xlib.XGetWindowAttributes(
            self._display, self.window, ctypes.byref(attributes)
        ):
            return True  # the server did not answer: nothing known, nothing to do
        return attributes.map_state == IS_VIEWABLE

    def close(self) -> None:
        if self._display:
            self._xlib.XCloseDisplay(self._display)
            self._display = None
