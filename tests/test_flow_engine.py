"""The flow engine, without Kivy: every branch of every bundled flow is walked."""

import pytest

from kiosk.core.content import Action, StepKind
from kiosk.core.flow import FlowError, Navigator, Position


def walk_all_paths(bundle, service_id):
    """Depth-first over every choice; returns the actions reached and the steps seen."""
    seen_steps = set()
    actions = set()

    def visit(history):
        nav = Navigator(bundle)
        nav.history = list(history)
        pos = nav.position
        if (pos, len(history)) in seen or len(history) > 40:
            return
        seen.add((pos, len(history)))
        seen_steps.add(pos)
        step = nav.step
        if nav.can_go_next():
            nav.next()
            visit(nav.history)
            nav.history = list(history)
        for i in range(len(step.choices)):
            nav.history = list(history)
            out = nav.choose(i)
            if out.action:
                actions.add(out.action)
            else:
                visit(nav.history)

    seen: set = set()
    nav = Navigator(bundle)
    nav.start(service_id)
    visit(nav.history)
    return actions, seen_steps


def test_every_flow_reaches_every_step_and_a_finish(bundle):
    for sid, svc in bundle.services.items():
        actions, steps = walk_all_paths(bundle, sid)
        own = {p.step_id for p in steps if p.service_id == sid}
        assert own == {s.id for s in svc.steps}, (
            f"{sid}: unreachable steps {set(s.id for s in svc.steps) - own}"
        )
        assert {Action.SLIP, Action.HELP, Action.HOME} <= actions, (
            f"{sid} never reaches the finish choices"
        )


def test_yes_no_branch_on_e_signature(bundle):
    nav = Navigator(bundle)
    nav.start("property-extract")
    while nav.step.kind != StepKind.QUESTION:
        nav.next()
    assert nav.step.id == "esign"
    yes = nav.choose(0)
    assert yes.position == Position("property-extract", "online")
    assert nav.back() == Position("property-extract", "esign")
    no = nav.choose(1)
    assert no.position == Position("property-extract", "in-person")


def test_back_retraces_the_path_and_leaves_the_flow_at_the_start(bundle):
    nav = Navigator(bundle)
    first = nav.start("id-card")
    second = nav.next().position
    nav.next()
    assert nav.back() == second
    assert nav.back() == first
    assert nav.back() is None
    assert nav.position is None


def test_home_forgets_the_path(bundle):
    nav = Navigator(bundle)
    nav.start("free-help")
    while nav.can_go_next():
        nav.next()
    assert nav.step.kind == StepKind.FINISH
    home = [i for i, c in enumerate(nav.step.choices) if c.action == Action.HOME][0]
    assert nav.choose(home).action == Action.HOME
    assert nav.history == []


def test_topic_is_the_current_service(bundle):
    nav = Navigator(bundle)
    assert nav.topic is None
    nav.start("utility-payments")
    assert nav.topic == "utility-payments"


def test_next_on_a_question_is_an_error(bundle):
    nav = Navigator(bundle)
    nav.start("property-extract")
    nav.history.append(Position("property-extract", "esign"))
    with pytest.raises(FlowError):
        nav.next()
