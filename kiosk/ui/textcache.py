"""Text rendered once: labels with the same words, font, size and box share one texture.

Making a label's texture (SDL renders the words, the pixels go into a GL texture)
is most of what a screen change costs on a terminal without a GPU. The screens
show the same few hundred texts again and again (the bars, "Next", every step
of every service), so a texture, once made, is kept in a bounded cache (least
recently used first out, by bytes) and handed to any label that asks for the
same text with the same options and box.

`install()` makes every Kivy Label (the screens' .kv `Label:`, Icon, Text, and
Kivy's own) use `SharedTextureLabel` for its text. Markup labels are not shared.

Kivy renders a label's texture lazily, when it is first drawn (or bound). A
texture handed to a second label must hold its own words, so a cached texture
that was not drawn yet is rendered before it is shared, and a label whose words
change before its texture was ever drawn takes that texture out of the cache.

Textures are drawn into again rather than deleted (`TexturePool`): Mesa's
software renderer (llvmpipe, as in Debian 12) keeps about twice a texture's size
in memory for every texture that was drawn and then deleted, so a terminal that
made and dropped label textures all day grew without end (1.3 MiB per dropped
text at 1280x800). A texture that left the cache is kept until no label or
canvas shows it, then handed to the next label that needs one of its size.
"""

from __future__ import annotations

import sys
import weakref
from collections import OrderedDict, deque
from typing import Any

import kivy.uix.label
from kivy.core.text import Label as CoreLabel

# The texts of the bars, the titles and a few screens (measured at 1280x800: an icon
# 20-90 KiB, a step's sentences up to 800 KiB). Software GL keeps textures in the
# process's own memory, so this counts fully against the terminal's budget.
DEFAULT_BUDGET_BYTES = 12 * 1024 * 1024

# Textures nobody shows, kept to be drawn into again (see TexturePool). A prepared
# screen's texts take 0.3-1.3 MiB (median 0.6) at 1280x800, 1080x1920 and 1024x600;
# over 150 screen changes 8 MiB let 220 textures go (each one leaked), 24 MiB none.
POOL_BUDGET_BYTES = 16 * 1024 * 1024

# The label state that goes with a texture: its size and the lines it was cut into.
_STATE = ("_size_texture", "_size", "is_shortened", "_cached_lines", "_internal_size")


def _frozen(value: Any) -> Any:
    """A hashable copy (Kivy hands out its own list and dict types)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value
    return tuple(_frozen(v) for v in value)


class TexturePool:
    """Textures that left the cache, drawn into again instead of deleted.

    `watch` takes a texture that may still be shown; `take` hands out one of the
    asked size that nothing shows any more (only the pool holds it), or None.
    Free textures are kept up to `budget_bytes` (oldest let go first)."""

    # References to a texture only the pool holds, as tidy() counts them: the
    # list, the loop's variable and getrefcount's own argument.
    _UNSHOWN_REFS = 3

    def __init__(self, budget_bytes: int = POOL_BUDGET_BYTES):
        self.budget_bytes = budget_bytes
        self.bytes = 0  # of free textures
        self.reused = 0
        self.let_go = 0
        self._watched: list[Any] = []
        self._free: dict[tuple[int, int], list[Any]] = {}
        self._order: deque[Any] = deque()  # free textures, oldest first

    def watch(self, texture: Any) -> None:
        self._watched.append(texture)

    def tidy(self) -> None:
        """Textures no label or canvas shows any more become free."""
        shown = []
        for texture in self._watched:
            if sys.getrefcount(texture) > self._UNSHOWN_REFS:
                shown.append(texture)
                continue
            self._free.setdefault((texture.width, texture.height), []).append(texture)
            self._order.append(texture)
            self.bytes += texture.width * texture.height * 4
        self._watched = shown
        while self.bytes > self.budget_bytes and self._order:
            old = self._order.popleft()
            self._free[(old.width, old.height)].remove(old)
            self.bytes -= old.width * old.height * 4
            self.let_go += 1

    def take(self, width: int, height: int) -> Any | None:
        self.tidy()
        free = self._free.get((width, height))
        if not free:
            return None
        texture = free.pop()
        self._order.remove(texture)
        self.bytes -= width * height * 4
        self.reused += 1
        return texture

    @property
    def free(self) -> int:
        return len(self._order)


POOL = TexturePool()


class TextureCache:
    """Rendered label textures by (text, options, box); bounded by bytes, LRU."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES):
        self.budget_bytes = budget_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[Any, ...], tuple[Any, dict[str, Any], Any, int]] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[Any, ...]) -> tuple[Any, dict[str, Any], Any] | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item[0], item[1], item[2]

    def put(self, key: tuple[Any, ...], texture: Any, state: dict[str, Any], owner: Any) -> None:
        size = texture.width * texture.height * 4
        if size > self.budget_bytes:
            POOL.watch(texture)
            return
        self.discard(key)
        self._items[key] = (texture, state, weakref.ref(owner), size)
        self.bytes += size
        while self.bytes > self.budget_bytes and self._items:
            old_key, (texture, _s, maker, old) = self._items.popitem(last=False)
            self.bytes -= old
            _let_go(old_key, texture, maker)

    def discard(self, key: tuple[Any, ...]) -> None:
        """Forget a texture that was never drawn (deleting it costs nothing)."""
        item = self._items.pop(key, None)
        if item is not None:
            self.bytes -= item[3]

    def clear(self) -> None:
        for key, (texture, _s, maker, _b) in self._items.items():
            _let_go(key, texture, maker)
        self._items.clear()
        self.bytes = 0


def _let_go(key: tuple[Any, ...], texture: Any, maker: Any) -> None:
    """A texture leaves the cache: to the pool, unless its words were never drawn.
    An undrawn texture holds its label's draw callback and the label holds it: the
    pool would count that label as showing it for ever (and keep both), and
    deleting a texture never drawn costs nothing."""
    label = maker()
    if label is not None and label._pending_key == key and label.texture is texture:
        return
    POOL.watch(texture)


CACHE = TextureCache()


class SharedTextureLabel(CoreLabel):  # type: ignore[misc,valid-type]
    """Kivy's core text label, taking its texture from CACHE when it can."""

    _pending_key: tuple[Any, ...] | None = None  # our texture, made but not drawn yet

    def cache_key(self) -> tuple[Any, ...]:
        self.resolve_font_name()
        # options keeps the words and box the label was made with; the current ones
        # are self.text and self._text_size.
        options = {k: v for k, v in self.options.items() if k not in ("text", "text_size")}
        return (self.text, _frozen(self._text_size), _frozen(options))

    def refresh(self) -> None:
        if self._pending_key is not None:
            # Our last texture was never drawn: its words would be the new ones.
            CACHE.discard(self._pending_key)
            self._pending_key = None
        key = self.cache_key()
        hit = CACHE.get(key)
        if hit is not None:
            texture, state, owner = hit
            maker = owner()
            if maker is not None and maker is not self and maker._pending_key == key:
                texture.bind()  # render it now, with the words it was made for
            self.texture = texture
            for name, value in state.items():
                setattr(self, name, value)
            return
        # Never draw new words into a texture already made: it stays in the cache
        # with its words, for this label when its box comes back (a layout pass can
        # give a label a passing size) and for any other label.
        self.texture = None
        super().refresh()
        texture = self.texture
        if texture is None or texture is self.texture_1px:
            return
        recycled = None if self.options["mipmap"] else POOL.take(texture.width, texture.height)
        if recycled is not None:  # Kivy's new texture was never drawn: it can go
            recycled.ask_update(self._texture_fill)
            self.texture = texture = recycled
        self._pending_key = key
        CACHE.put(key, texture, {name: getattr(self, name, None) for name in _STATE}, self)

    def _texture_fill(self, texture: Any) -> None:
        super()._texture_fill(texture)
        self._pending_key = None

    @property
    def drawn(self) -> bool:
        """False while this label's texture is made but its words not rendered yet."""
        return self._pending_key is None


def install() -> None:
    """Every Kivy Label made from now on shares rendered textures (idempotent)."""
    kivy.uix.label.CoreLabel = SharedTextureLabel


def render_now(label: Any) -> bool:
    """Render a Label widget's words into its texture now, not at its first draw.
    Returns True if there was anything to render."""
    core = getattr(label, "_label", None)
    if not isinstance(core, SharedTextureLabel) or core.drawn or label.texture is None:
        return False
    label.texture.bind()
    return True


def render_like(label: Any, text: str, **changes: Any) -> None:
    """Render `text` as `label` would show it (same font, size, colour and box), so
    the label finds it in the cache when it is given that text."""
    props = {name: getattr(label, name) for name in label._font_properties if name != "text"}
    props.update(changes)
    scratch = kivy.uix.label.Label(text=text, **props)
    scratch.texture_update()
    render_now(scratch)
