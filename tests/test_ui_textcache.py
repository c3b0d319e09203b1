"""Label texts are rendered once: labels with the same words, font, size and box
share one texture; the cache is bounded; a shared texture keeps its own words."""

import pytest

from kiosk.ui.textcache import TextureCache

pytestmark = pytest.mark.ui


class _Texture:
    def __init__(self, width, height):
        self.width, self.height = width, height


class _Owner:
    _pending_key = None


def test_the_texture_cache_is_bounded_by_bytes_least_recently_used_out():
    cache = TextureCache(budget_bytes=3 * 100 * 10 * 4)
    owner = _Owner()
    for name in "abc":
        cache.put((name,), _Texture(100, 10), {}, owner)
    assert cache.get(("a",)) is not None  # a is now the most recently used
    cache.put(("d",), _Texture(100, 10), {}, owner)
    assert cache.bytes <= cache.budget_bytes
    assert cache.get(("b",)) is None  # the least recently used went
    assert all(cache.get((k,)) is not None for k in "acd")
    cache.put(("huge",), _Texture(1000, 1000), {}, owner)  # larger than the budget: not kept
    assert cache.get(("huge",)) is None and len(cache) == 3


def test_labels_with_the_same_words_font_and_box_share_one_texture(ui):
    from kivy.uix.label import Label

    a = Label(text="Növbəti addım", font_name="Noto", font_size=40, text_size=(600, None))
    b = Label(text="Növbəti addım", font_name="Noto", font_size=40, text_size=(600, None))
    other_size = Label(text="Növbəti addım", font_name="Noto", font_size=30, text_size=(600, None))
    other_box = Label(text="Növbəti addım", font_name="Noto", font_size=40, text_size=(300, None))
    for label in (a, b, other_size, other_box):
        label.texture_update()
    assert a.texture is b.texture
    assert other_size.texture is not a.texture
    assert other_box.texture is not a.texture
    assert b.texture_size == a.texture_size


def test_a_shared_texture_keeps_its_words_when_its_first_label_changes(ui):
    from kivy.uix.label import Label

    first = Label(text="Sənədlər", font_name="Noto", font_size=40)
    first.texture_update()  # made, not drawn yet
    second = Label(text="Sənədlər", font_name="Noto", font_size=40)
    second.texture_update()  # shares it: rendered now, with its own words
    shared = second.texture
    pixels = shared.pixels
    first.text = "Ünvan və telefon"
    first.texture_update()
    assert first.texture is not shared
    assert shared.pixels == pixels
    third = Label(text="Ünvan və telefon", font_name="Noto", font_size=40)
    third.texture_update()
    assert third.texture is first.texture


def test_a_label_given_a_passing_box_gets_its_drawn_words_back(ui):
    """A layout pass can give a label another width for a moment: its drawn
    texture stays in the cache and comes back with the width, nothing drawn again."""
    from kivy.uix.label import Label

    from kiosk.ui.textcache import CACHE

    label = Label(text="Azərbaycanca", font_name="Noto", font_size=40, text_size=(536, None))
    label.texture_update()
    label.texture.bind()  # drawn
    drawn = label.texture
    pixels = drawn.pixels
    label.text_size = (808, None)
    label.texture_update()  # made for the passing box, never drawn
    assert label.texture is not drawn
    label.text_size = (536, None)
    misses = CACHE.misses
    label.texture_update()
    assert label.texture is drawn
    assert CACHE.misses == misses
    assert drawn.pixels == pixels


def test_a_texture_no_label_shows_any_more_is_drawn_into_again(ui):
    """Deleting a drawn texture costs llvmpipe memory for good: a texture that left
    the cache is handed to the next label of its size once nothing shows it, and
    not before."""
    import gc
    import weakref

    from kivy.uix.label import Label

    from kiosk.ui.textcache import CACHE, POOL

    def drawn_label(text):
        label = Label(text=text, font_name="Noto", font_size=40, text_size=(400, None))
        label.texture_update()
        label.texture.bind()
        return label

    first = drawn_label("Bir")
    made = weakref.ref(first.texture)
    CACHE.clear()  # the cache lets it go while the label still shows it
    second = drawn_label("İki")
    assert second.texture is not made()  # still shown: not handed out
    assert tuple(second.texture.size) == tuple(made().size)
    del first
    gc.collect()
    third = drawn_label("Üç")
    assert third.texture is made()  # nothing showed it any more: drawn into again
    assert POOL.reused >= 1
    pixels = third.texture.pixels
    fourth = Label(text="Üç", font_name="Noto", font_size=40, text_size=(400, None))
    fourth.texture_update()
    assert fourth.texture is third.texture and fourth.texture.pixels == pixels
    assert second.texture is not third.texture


def test_a_texture_never_drawn_is_not_kept_after_its_label_is_gone(ui):
    """A label laid out at a passing width makes a texture that is never drawn:
    it holds the label's draw callback and the label holds it. Leaving the cache,
    it must not go to the pool (which would count the label as showing it and
    keep both for good: about one texture per resident) but be freed with it."""
    import gc
    import weakref

    from kivy.uix.label import Label

    from kiosk.ui.textcache import CACHE, POOL

    label = Label(text="Heç vaxt çəkilməyən söz", font_name="Noto", font_size=40)
    label.text_size = (36, None)  # the first layout pass's passing width
    label.texture_update()
    assert label._label._pending_key is not None  # made, not drawn
    made = weakref.ref(label.texture)
    CACHE.clear()
    POOL.tidy()
    assert all(texture is not made() for texture in POOL._watched)
    del label
    gc.collect()
    assert made() is None  # freed with its label
