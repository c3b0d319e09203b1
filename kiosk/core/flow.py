"""The guided-flow engine: where a resident is, and where each touch leads.

Pure Python over the content model; the UI asks it what to show and tells it
what was touched. A choice may lead to a step of the same flow, into another
service's flow (ASAN İmza from the social assistance flow), or to an action
(print a slip, call a helper, go home). Back retraces the resident's own path,
across flows.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.content.model import Action, Bundle, Choice, Service, Step, StepKind


@dataclass(frozen=True)
class Position:
    service_id: str
    step_id: str


@dataclass(frozen=True)
class Outcome:
    """What a touch did: moved to a position, or asked for an action."""

    position: Position | None = None
    action: Action | None = None


class FlowError(Exception):
    pass


class Navigator:
    """One resident's path through the flows. Forget it by calling reset()."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.history: list[Position] = []

    @property
    def position(self) -> Position | None:
        return self.history[-1] if self.history else None

    @property
    def service(self) -> Service:
        pos = self._require()
        return self.bundle.services[pos.service_id]

    @property
    def step(self) -> Step:
        pos = self._require()
        return self.bundle.services[pos.service_id].step(pos.step_id)

    @property
    def topic(self) -> str | None:
        """The service the resident is in, for a help request; None at home."""
        return self.position.service_id if self.position else None

    def _require(self) -> Position:
        if not self.history:
            raise FlowError("not in a flow")
        return self.history[-1]

    def start(self, service_id: str) -> Position:
        """Enter a service's flow at its first step, forgetting any earlier path."""
        svc = self.bundle.services[service_id]
        self.history = [Position(service_id, svc.first_step.id)]
        return self.history[-1]

    def can_go_next(self) -> bool:
        step = self.step
        return (
            step.kind not in (StepKind.QUESTION, StepKind.FINISH)
            and self.service.next_of(step) is not None
        )

    def next(self) -> Outcome:
        """The one "Next" of an information step."""
        if not self.can_go_next():
            raise FlowError(f"step {self.step.id!r} has no 'Next'")
        pos = Position(self.service.id, self.service.next_of(self.step))  # type: ignore[arg-type]
        self.history.append(pos)
        return Outcome(position=pos)

    def choices(self) -> tuple[Choice, ...]:
        return self.step.choices

    def choose(self, index: int) -> Outcome:
        choice = self.step.choices[index]
        if choice.action is not None:
            if choice.action == Action.HOME:
                self.reset()
            return Outcome(action=choice.action)
        if choice.go:
            pos = Position(self.service.id, choice.go)
        elif choice.flow:
            pos = Position(choice.flow, self.bundle.services[choice.flow].first_step.id)
        else:  # the loader refuses such content
            raise FlowError("choice leads nowhere")
        self.history.append(pos)
        return Outcome(position=pos)

    def progress(self) -> tuple[int, int]:
        """(this step's number, steps in all) along the resident's way through the
        current service: the steps taken in it so far, plus the fewest steps from
        here to its end. Changes as the resident's choices change the way."""
        service = self.service
        done = 0
        for pos in reversed(self.history):
            if pos.service_id != service.id:
                break
            done += 1
        return done, done + self._steps_to_end(service, self.step)

    @staticmethod
    def _steps_to_end(service: Service, start: Step) -> int:
        """The fewest steps after `start` to a finish step (or to the last step)."""
        frontier, seen, hops = [start], {start.id}, 0
        while frontier:
            following: list[Step] = []
            for step in frontier:
                if step.kind == StepKind.FINISH:
                    return hops
                targets = [c.go for c in step.choices if c.go]
                if step.kind not in (StepKind.QUESTION, StepKind.FINISH):
                    targets.append(service.next_of(step))
                if not any(targets) and not step.choices:
                    return hops  # the last step of a flow without a finish
                for target in targets:
                    if target and target not in seen:
                        seen.add(target)
                        following.append(service.step(target))
            frontier, hops = following, hops + 1
        return hops

    def back(self) -> Position | None:
        """One step back along the resident's own path; None means the group screen."""
        if self.history:
            self.history.pop()
        return self.position

    def reset(self) -> None:
        self.history.clear()
