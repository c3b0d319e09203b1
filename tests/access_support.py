"""Walking a flow by keys alone, planned from the flow data (not from a step list
written here): which choice to take on each step, and what the voice must say at
each focus. Shared by the off-screen and the real-X non-visual tests."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from kiosk.core.content.model import Action, Bundle, StepKind
from kiosk.core.narration.script import choice_said

SERVICE = "social-assistance"


@dataclass(frozen=True)
class Move:
    step_id: str
    target: int  # which of the step's choices in focus order is chosen (Next after the choices)
    words: tuple[str, ...]  # what the voice says at each focus, in order, up to the target


def step_words(bundle: Bundle, service_id: str, step_id: str, lang: str) -> list[str]:
    """The step screen's own choices as said, in reading order: its choices, then Next."""
    service = bundle.services[service_id]
    step = service.step(step_id)
    words = []
    if step.kind in (StepKind.QUESTION, StepKind.FINISH):
        words = [choice_said(bundle, c)(lang) for c in step.choices]
    elif service.next_of(step) is not None:
        words.append(bundle.string("nav.next", lang))
    return words


def plan_to_slip(bundle: Bundle, service_id: str, lang: str) -> list[Move]:
    """The shortest way by Next and the choices from the first step to "Print my slip"."""
    service = bundle.services[service_id]
    start = service.first_step.id
    came: dict[str, tuple[str, int] | None] = {start: None}
    queue = deque([start])
    goal: tuple[str, int] | None = None
    while queue and goal is None:
        step_id = queue.popleft()
        step = service.step(step_id)
        leads: list[tuple[int, str]] = []
        if step.kind in (StepKind.QUESTION, StepKind.FINISH):
            for i, choice in enumerate(step.choices):
                if choice.action == Action.SLIP:
                    goal = (step_id, i)
                    break
                if choice.go:
                    leads.append((i, choice.go))
        elif service.next_of(step) is not None:
            leads.append((0, service.next_of(step)))
        for i, to in leads:
            if to not in came:
                came[to] = (step_id, i)
                queue.append(to)
    assert goal is not None, f"{service_id}: no way from {start} to a slip"
    moves = []
    at: tuple[str, int] | None = goal
    while at is not None:
        step_id, i = at
        words = step_words(bundle, service_id, step_id, lang)
        moves.append(Move(step_id, i, tuple(words[: i + 1])))
        at = came[step_id]
    return list(reversed(moves))


def group_of(bundle: Bundle, service_id: str) -> int:
    return next(i for i, g in enumerate(bundle.groups) if service_id in g.services)
