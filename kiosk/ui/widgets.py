"""Reusable widgets: picture buttons, pictograms, labels that wrap. Layout is in
widgets.kv; this file holds behaviour only."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui.theme import icon_glyph

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class Icon(Label):
    """A pictogram from the Material Design Icons font, by name."""

    name = StringProperty("")

    def on_name(self, _instance: object, value: str) -> None:
        self.text = icon_glyph(value)


class Text(Label):
    """Body text that wraps inside its box; never shrinks below the theme's size."""


class Bar(BoxLayout):
    """The top or bottom bar. When hidden it lets touches through; it is not
    `disabled`, because that would redraw every label in it in grey and back."""

    active = BooleanProperty(True)

    def on_touch_down(self, touch: object) -> bool:
        return bool(self.active and super().on_touch_down(touch))

    def on_touch_move(self, touch: object) -> bool:
        return bool(self.active and super().on_touch_move(touch))

    def on_touch_up(self, touch: object) -> bool:
        return bool(self.active and super().on_touch_up(touch))


class PictoButton(ButtonBehavior, BoxLayout):
    """A large button with a pictogram above (or beside) its words.

    `style` is "normal", "primary" (the one main action of a screen) or "help".
    `armed` shows the highlight when "touch to hear, touch again to choose" is on.
    """

    icon = StringProperty("")
    text = StringProperty("")
    style = StringProperty("normal")
    armed = BooleanProperty(False)
    horizontal = BooleanProperty(False)
    bg = ListProperty([0, 0, 0, 1])
    fg = ListProperty([1, 1, 1, 1])
    font_size = NumericProperty(0)  # 0: the theme's label size
    icon_size = NumericProperty(0)  # 0: the theme's medium pictogram
    hidden = BooleanProperty(False)  # invisible and untouchable (kept in place, no redraw)
    bold = BooleanProperty(True)
    icon_only = BooleanProperty(False)  # the pictogram alone (its words are still spoken)
    # The narration line for this choice, spoken on a first touch when touch-to-hear is on.
    line = ObjectProperty(None, allownone=True)

    def on_touch_down(self, touch: object) -> bool:
        return False if self.hidden else super().on_touch_down(touch)

    def on_touch_up(self, touch: object) -> bool:
        return False if self.hidden else super().on_touch_up(touch)
