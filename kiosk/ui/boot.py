"""Kivy start-up settings that must be in place before Kivy opens its window.

Import this module before anything from kivy.core.window.
"""

from __future__ import annotations

import os

from kiosk.core.settings import Settings


def configure_kivy(settings: Settings, windowed: bool, offscreen: bool = False) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    if offscreen:
        os.environ["SDL_VIDEODRIVER"] = "offscreen"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from kivy.config import Config

    kiosk_mode = settings["kiosk.kiosk_mode"] and not windowed and not offscreen
    # display.width/height are the picture as residents see it; a panel turned by
    # 90 or 270 degrees opens a window of the other shape, which Kivy then turns.
    # In kiosk mode the window is the whole screen and the layout follows its real size.
    rotation = settings["display.rotation"]
    width, height = settings["display.width"], settings["display.height"]
    if rotation in (90, 270):
        width, height = height, width
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "rotation", str(rotation))
    Config.set("graphics", "fullscreen", "auto" if kiosk_mode else "0")
    Config.set("graphics", "show_cursor", "0" if kiosk_mode else "1")
    Config.set("graphics", "resizable", "0" if kiosk_mode else "1")
    # No red multitouch-emulation dots on right click, no exit on Esc.
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0" if kiosk_mode else "1")
    Config.set("kivy", "log_level", "info")
