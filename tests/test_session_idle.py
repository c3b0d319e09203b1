from kiosk.core.session import IdleState, IdleTimer, ResidentSession


def test_idle_warns_then_expires():
    t = IdleTimer(idle_seconds=60, countdown_seconds=30)
    t.touch(100)
    assert t.state(159) == IdleState.ACTIVE
    assert t.state(160) == IdleState.WARNING
    assert t.remaining(160) == 30
    assert t.remaining(175.5) == 15
    assert t.state(190) == IdleState.EXPIRED
    assert t.remaining(200) == 0


def test_a_touch_during_the_warning_gives_full_time_again_as_often_as_needed():
    t = IdleTimer(idle_seconds=60, countdown_seconds=30)
    now = 0.0
    for _ in range(5):
        now += 80  # in the warning each time
        assert t.state(now) == IdleState.WARNING
        t.touch(now)
        assert t.state(now + 59) == IdleState.ACTIVE


def test_each_resident_session_is_new_and_empty():
    a = ResidentSession("az")
    a.first_name, a.phone, a.ticket = "Aysel", "0501234567", "A-001"
    b = ResidentSession("az")
    assert a.id != b.id
    assert (b.first_name, b.phone, b.ticket) == ("", "", None)
