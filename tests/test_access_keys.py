"""The keypad's map, one action per press, the speech rate keys, and headphone
detection from what PulseAudio and ALSA report (no Kivy)."""

from __future__ import annotations

import pytest

from kiosk.core.access import (
    KEY_NAMES,
    KeyAction,
    KeyGuard,
    KeyMap,
    guided_intro,
    key_word,
    key_words,
)
from kiosk.core.content import check_bundle
from kiosk.core.narration.headphones import alsa_state, pulse_state
from kiosk.core.settings import KIOSK_SETTINGS, SettingsError, validate_values


def test_the_default_keys_follow_the_ez_access_keypad(bundle):
    keymap = KeyMap.from_settings(validate_values({}, KIOSK_SETTINGS, "test"))
    assert keymap.action("numpad8") == keymap.action("up") == KeyAction.UP
    assert keymap.action("numpad2") == KeyAction.DOWN
    assert keymap.action("numpad5") == keymap.action("enter") == KeyAction.ENTER
    assert keymap.action("numlock") is None
    strings = bundle.strings
    assert key_words(strings, keymap, KeyAction.DOWN, "ru") == "стрелка вниз или 2"
    # Printed on the key card: every key, in words ("numpadenter" is Enter again).
    assert key_words(strings, keymap, KeyAction.ENTER, "az", limit=0) == "Enter, 5 və ya boşluq"
    intro = [t("az") for t in guided_intro(strings, keymap, ["az"])]
    assert intro[:3] == [strings["access.intro"]("az"), "aşağı ox və ya 2", "növbəti seçim."]


def test_every_key_a_terminal_can_map_has_words_in_the_content(bundle):
    """A key named in [access] is said and printed in words, never as Kivy names it."""
    for name in KEY_NAMES:
        for lang in ("az", "ru", "en"):
            word = key_word(bundle.strings, name, lang)
            assert word and "numpad" not in word, (name, lang)
            assert word != name or len(name) == 1, (name, lang)  # a word, "2", "F1" or "H"


def test_a_bundle_without_a_key_text_in_a_language_is_refused_naming_it(content_copy):
    strings = content_copy / "strings.toml"
    text = strings.read_text(encoding="utf-8")
    text = text.replace('ru = "следующая кнопка."\n', "", 1)
    text = text.replace('["access.no_ticket"]', '["access.no_ticket_typo"]', 1)
    strings.write_text(text, encoding="utf-8")
    allowlist = next(s.default for s in KIOSK_SETTINGS if s.key == "links.allowlist")
    _, problems = check_bundle(content_copy, allowlist)
    found = [str(p) for p in problems]
    assert "strings.toml: string 'access.does.down' [ru]: 't' has no text" in found
    assert "strings.toml: string 'access.no_ticket': is missing" in found


def test_an_unknown_key_name_is_refused_with_its_name():
    with pytest.raises(SettingsError, match="access.up_keys: unknown key 'arrowup'"):
        validate_values({"access.up_keys": ["arrowup"]}, KIOSK_SETTINGS, "test")


def test_a_held_or_bouncing_key_acts_once():
    guard = KeyGuard(0.25)
    assert guard.down("down", 10.0)
    assert not guard.down("down", 10.1)  # held: repeated without a key-up
    guard.up("down")
    assert not guard.down("down", 10.2)  # bounced
    guard.up("down")
    assert guard.down("down", 10.6)
    assert guard.down("up", 10.6)  # another key is its own press


def test_the_rate_keys_change_speech_within_bounds_and_reset_for_the_next_resident(
    settings, bundle
):
    from kiosk.core.narration.cache import AudioCache
    from kiosk.core.narration.engines import SilentEngine
    from kiosk.core.narration.narrator import Narrator
    from kiosk.core.narration.player import FakePlayer

    narrator = Narrator(
        settings, bundle, SilentEngine("test"), AudioCache(settings.path("kiosk.data_dir")),
        FakePlayer(), lambda fn: fn(),
    )  # fmt: skip
    assert narrator.change_rate(20) == 170
    for _ in range(20):
        narrator.change_rate(20)
    assert narrator.rate == 300
    narrator.reset_for_new_resident()
    assert narrator.rate == 150
    narrator.shutdown()


PACTL = """Sink #0
\tName: alsa_output.pci-0000_00_1f.3.analog-stereo
\tPorts:
\t\tanalog-output-speaker: Speakers (type: Speaker, priority: 10000, availability unknown)
\t\tanalog-output-headphones: Headphones (type: Headphones, priority: 9900, {plugged})
\tActive Port: analog-output-speaker
"""
USB = """Sink #3
\tName: alsa_output.usb-Logitech_H390-00.analog-stereo
\tProperties:
\t\tdevice.bus = "usb"
"""


def test_headphones_are_seen_in_pulseaudio_ports_and_usb_sinks():
    assert pulse_state(PACTL.format(plugged="not available")) == (False, None)
    assert pulse_state(PACTL.format(plugged="available")) == (True, None)
    both = PACTL.format(plugged="not available") + "\n" + USB
    assert pulse_state(both) == (True, "alsa_output.usb-Logitech_H390-00.analog-stereo")


def test_headphones_are_seen_in_the_alsa_jack_control_and_usb_cards():
    jack = "numid=18,iface=CARD,name='Headphone Jack'\n  ; type=BOOLEAN,access=r-------,values=1\n  : values={v}\n"
    assert alsa_state(jack.format(v="on"), "") is True
    assert alsa_state(jack.format(v="off"), " 0 [PCH ]: HDA-Intel") is False
    assert alsa_state("", " 1 [Headset ]: USB-Audio - Logitech USB Headset") is True


def test_the_words_about_the_keys_are_offered_for_recording_in_the_studio(bundle):
    from kiosk.core.narration.voices import PLACES, spoken_texts

    listed = {s.key: s for s in spoken_texts(bundle)}
    for key in ("access.intro", "access.does.down", "access.digit_entered", "access.key.down"):
        assert listed[key].where == PLACES["keys"] and listed[key].file == "strings.toml"
