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
from kivy.uix.widget import Widget

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


class Dots(Widget):
    """Filled and empty circles drawn on the canvas (no font glyph needed):
    `count` dots, the first `filled` of them solid. Progress through a flow; the
    digits of a PIN."""

    count = NumericProperty(0)
    filled = NumericProperty(0)
    dot = NumericProperty(20)  # diameter in pixels
    color = ListProperty([1, 1, 1, 1])

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.bind(
            pos=self._draw, size=self._draw, count=self._draw, filled=self._draw, dot=self._draw
        )

    def _draw(self, *_args: object) -> None:
        from kivy.graphics import Color, Ellipse, Line

        self.canvas.clear()
        count = int(self.count)
        if count <= 0:
            return
        # Smaller dots where the row is narrow (a "more" beside Next), never outside the box.
        dot = min(self.dot, self.height, self.width / (count * 1.4 - 0.4))
        if dot < self.dot / 2:
            return  # too small to read as progress (or a row folded away): "step n of m" is said
        gap = min(dot * 0.8, max(0.0, (self.width - count * dot) / max(1, count - 1)))
        span = count * dot + (count - 1) * gap
        x = self.center_x - span / 2
        y = self.center_y - dot / 2
        ring = max(1.5, dot / 10)
        with self.canvas:
            Color(*self.color)
            for i in range(count):
                if i < self.filled:
                    Ellipse(pos=(x, y), size=(dot, dot))
                else:
                    half = dot / 2
                    Line(circle=(x + half, y + half, half - ring / 2), width=ring)
                x += dot + gap


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
    icon_only = BooleanProperty(False)
    grow = BooleanProperty(
        False
    )  # a large tile: picture and words grow with it (theme.tile_*)  # the pictogram alone (its words are still spoken)
    # The narration line for this choice, spoken on a first touch when touch-to-hear is on.
    line = ObjectProperty(None, allownone=True)

    def on_touch_down(self, touch: object) -> bool:
        return False if self.hidden else super().on_touch_down(touch)

    def on_touch_up(self, touch: object) -> bool:
        return False if self.hidden else super().on_touch_up(touch)
