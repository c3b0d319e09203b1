import pytest

from kiosk.core.lockdown import ExitGesture, StaffPin, hash_pin


def test_five_quick_corner_touches_open_the_staff_pad():
    g = ExitGesture(corner_px=80)
    assert not any(g.touch(10, 10, t) for t in (0, 0.5, 1, 1.5))
    assert g.touch(10, 10, 2.0)


def test_slow_or_off_corner_touches_do_not():
    g = ExitGesture(corner_px=80)
    assert not any(g.touch(10, 10, t * 2.0) for t in range(10))  # too slow
    g2 = ExitGesture(corner_px=80)
    for t in (0, 0.2, 0.4, 0.6):
        g2.touch(10, 10, t)
    assert not g2.touch(300, 10, 0.8)  # a touch elsewhere starts over
    assert not g2.touch(10, 10, 1.0)


def test_the_right_pin_opens_a_wrong_one_does_not_and_repeats_lock():
    pin = StaffPin(hash_pin("4821"), max_attempts=3, lock_seconds=60)
    assert not pin.check("0000", 0)
    assert pin.check("4821", 1)
    for t in (2, 3, 4):
        assert not pin.check("1111", t)
    assert pin.locked(5)
    assert not pin.check("4821", 5)  # even the right PIN waits out the lock
    assert pin.check("4821", 65)


def test_no_pin_configured_means_no_exit():
    assert not StaffPin("").check("1234", 0)


def test_pins_are_digits():
    with pytest.raises(ValueError):
        hash_pin("abcd")
