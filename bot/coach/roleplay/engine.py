"""The simulated call: a state machine over a scenario's phases, one rep turn at a time.

Each rep turn runs the current phase's checks; a turn that meets all of the phase's `pass`
criteria moves the call on (the customer warms up), any other costs a point of patience (the
customer cools). The call ends when the last phase passes (success), patience runs out
(hang_up), the scenario's turn limit is reached (turn_limit), or the rep cancels. No
randomness: the customer's lines are picked by turn numbers, so the same answers always give the
same call. The state is plain data (`to_dict`/`from_dict`), stored between the rep's messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, get_args

from bot.coach.roleplay.checks import CHECKS, MAX_CHARS, TurnContext
from bot.coach.roleplay.scenario import Cues, Phase, Scenario

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: Final[tuple[str, ...]] = get_args(Difficulty)
Outcome = Literal["success", "hang_up", "turn_limit", "cancelled"]
OUTCOMES: Final[tuple[str, ...]] = get_args(Outcome)
# Weak turns the customer tolerates, relative to the scenario's (medium) patience.
PATIENCE_SHIFT: Final[Mapping[str, int]] = {"easy": 2, "medium": 0, "hard": -1}
# On hard, the customer raises up to this many objections of a phase, one after the other.
HARD_OBJECTIONS: Final = 2
STATE_VERSION: Final = 1


class TurnError(ValueError):
    """A rep message that is not a turn of this call."""


class EmptyTurnError(TurnError):
    """Nothing said (empty or only whitespace): not counted as a turn."""


class CallOverError(TurnError):
    """The call has already ended."""


class StateError(ValueError):
    """A stored call that does not fit this engine or this scenario."""


@dataclass(frozen=True, slots=True)
class RepTurn:
    """One rep turn: what was said (cut for scoring), in which phase, the criteria checked and
    met, whether it was weak, the customer's reply; and the call as it stood before the turn
    (phase index, patience, objections raised so far) so a retry can go back to it."""

    text: str
    phase: str
    checked: tuple[str, ...]
    met: tuple[str, ...]
    weak: bool
    reply: str
    phase_index: int
    patience: int
    objections: int


@dataclass(frozen=True, slots=True)
class CallState:
    """A call in progress or ended; JSON-serialisable via to_dict()/from_dict()."""

    scenario_id: str
    lang: str
    difficulty: str
    phase: int
    patience: int
    turns: tuple[RepTurn, ...] = ()
    objections_raised: tuple[str, ...] = ()
    ended: str | None = None

    @property
    def running(self) -> bool:
        """Whether the rep can still answer."""
        return self.ended is None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for storing (JSON types only)."""
        return {
            "v": STATE_VERSION,
            "scenario_id": self.scenario_id,
            "lang": self.lang,
            "difficulty": self.difficulty,
            "phase": self.phase,
            "patience": self.patience,
            "objections_raised": list(self.objections_raised),
            "ended": self.ended,
            "turns": [
                {
                    "text": turn.text,
                    "phase": turn.phase,
                    "checked": list(turn.checked),
                    "met": list(turn.met),
                    "weak": turn.weak,
                    "reply": turn.reply,
                    "phase_index": turn.phase_index,
                    "patience": turn.patience,
                    "objections": turn.objections,
                }
                for turn in self.turns
            ],
        }

    @classmethod
    def from_dict(cls, data: Any) -> CallState:
        """The state stored by to_dict(); raises StateError for anything else."""
        if not isinstance(data, Mapping) or data.get("v") != STATE_VERSION:
            raise StateError("not a stored call of this version")
        ended = data.get("ended")
        if ended is not None and ended not in OUTCOMES:
            raise StateError("ended")
        difficulty = _text(data, "difficulty")
        if difficulty not in DIFFICULTIES:
            raise StateError("difficulty")
        raw_turns = data.get("turns")
        if not isinstance(raw_turns, list):
            raise StateError("turns")
        return cls(
            scenario_id=_text(data, "scenario_id"),
            lang=_text(data, "lang"),
            difficulty=difficulty,
            phase=_count(data, "phase"),
            patience=_count(data, "patience"),
            turns=tuple(_turn(item) for item in raw_turns),
            objections_raised=_texts(data, "objections_raised"),
            ended=ended,
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise StateError(key)
    return value


def _count(data: Mapping[str, Any], key: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StateError(key)
    return value


def _texts(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise StateError(key)
    return tuple(value)


def _turn(data: Any) -> RepTurn:
    if not isinstance(data, Mapping):
        raise StateError("turns")
    weak = data.get("weak")
    if not isinstance(weak, bool):
        raise StateError("weak")
    return RepTurn(
        text=_text(data, "text"),
        phase=_text(data, "phase"),
        checked=_texts(data, "checked"),
        met=_texts(data, "met"),
        weak=weak,
        reply=_text(data, "reply"),
        phase_index=_count(data, "phase_index"),
        patience=_count(data, "patience"),
        objections=_count(data, "objections"),
    )


def patience_for(patience: int, difficulty: str) -> int:
    """The weak turns a customer tolerates at this difficulty: easy +2, hard -1, at least 1."""
    if difficulty not in PATIENCE_SHIFT:
        raise ValueError(f"unknown difficulty {difficulty!r}")
    return max(1, patience + PATIENCE_SHIFT[difficulty])


def _say(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _objection_line(
    phase: Phase, objection: str, objection_lines: Mapping[str, str] | None
) -> str | None:
    """The line that raises an objection: the phase's own `raise` for its first objection,
    otherwise the playbook's phrasing."""
    if phase.raise_line is not None and phase.objections[:1] == (objection,):
        return phase.raise_line
    return (objection_lines or {}).get(objection)


def opening_line(scenario: Scenario) -> str:
    """The customer's first line (or the situation, when the rep starts). A first phase with
    objections raises its first one here: with its `raise` line, or in the opening itself."""
    first = scenario.phases[0]
    return _say(scenario.opening, first.raise_line if first.objections else None)


def start(scenario: Scenario, difficulty: str, lang: str) -> tuple[CallState, str]:
    """A new call and the customer's first line (see opening_line)."""
    first = scenario.phases[0]
    state = CallState(
        scenario_id=scenario.id,
        lang=lang,
        difficulty=difficulty,
        phase=0,
        patience=patience_for(scenario.patience, difficulty),
        objections_raised=first.objections[:1],
    )
    return state, opening_line(scenario)


def customer_line(scenario: Scenario, state: CallState) -> str:
    """The customer's latest line: what the rep answers next (after a restart, too)."""
    return state.turns[-1].reply if state.turns else opening_line(scenario)


def _phase_turn(state: CallState) -> int:
    """The number the next turn has within the current phase (from 1)."""
    count = 0
    for turn in reversed(state.turns):
        if turn.phase_index != state.phase:
            break
        count += 1
    return count + 1


def _weak_line(scenario: Scenario, index: int, phase_turn: int) -> str:
    # The last phase may have no weak lines of its own; the customer repeats an earlier one.
    for phase in reversed(scenario.phases[: index + 1]):
        if phase.weak:
            return phase.weak[(phase_turn - 1) % len(phase.weak)]
    return scenario.opening


def _good_line(phase: Phase, phase_turn: int) -> str | None:
    return phase.good[(phase_turn - 1) % len(phase.good)] if phase.good else None


def _second_objection(phase: Phase, state: CallState) -> str | None:
    """On hard, the phase's next objection once the first is handled, if it has one."""
    if state.difficulty != "hard":
        return None
    raised = [objection for objection in phase.objections if objection in state.objections_raised]
    if not raised or len(raised) >= HARD_OBJECTIONS:
        return None
    return next(
        (objection for objection in phase.objections if objection not in raised),
        None,
    )


def answer(
    scenario: Scenario,
    cues: Cues,
    state: CallState,
    text: str,
    *,
    objection_lines: Mapping[str, str] | None = None,
) -> tuple[CallState, str]:
    """The call after the rep says `text`, and the customer's reply. `objection_lines` are the
    playbook's phrasings by entry id, for objections without a `raise` line of their own.
    Raises EmptyTurnError for nothing said, CallOverError after the end, StateError for a state that
    does not belong to this scenario."""
    if state.ended is not None:
        raise CallOverError(state.ended)
    if state.scenario_id != scenario.id or not 0 <= state.phase < len(scenario.phases):
        raise StateError("the call does not belong to this scenario")
    said = text.strip()[:MAX_CHARS]
    if not said:
        raise EmptyTurnError("nothing said")
    phase = scenario.phases[state.phase]
    phase_turn = _phase_turn(state)
    call_turn = len(state.turns) + 1
    context = TurnContext(
        call_turn=call_turn, phase_turn=phase_turn, customer_line=customer_line(scenario, state)
    )
    checks = {criterion.id: criterion.check for criterion in scenario.criteria}
    met = tuple(
        criterion
        for criterion in phase.checks
        if criterion in checks and CHECKS[checks[criterion]](said, cues, context)
    )
    passed = all(criterion in met for criterion in phase.required)
    index, patience = state.phase, state.patience
    raised = state.objections_raised
    ended: str | None = None
    if passed:
        second = _second_objection(phase, state)
        if second is not None:
            raised += (second,)
            reply = _say(
                _good_line(phase, phase_turn), _objection_line(phase, second, objection_lines)
            )
        elif index == len(scenario.phases) - 1:
            ended, reply = "success", scenario.end.success
        else:
            index += 1
            entered = scenario.phases[index]
            objection = None
            if entered.objections:
                raised += entered.objections[:1]
                objection = _objection_line(entered, entered.objections[0], objection_lines)
            reply = _say(_good_line(phase, phase_turn), objection)
    else:
        patience -= 1
        if patience <= 0:
            ended, reply = "hang_up", scenario.end.hang_up
        else:
            reply = _weak_line(scenario, index, phase_turn)
    if ended is None and call_turn >= scenario.max_turns:
        ended, reply = "turn_limit", scenario.end.turn_limit
    turn = RepTurn(
        text=said,
        phase=phase.id,
        checked=phase.checks,
        met=met,
        weak=not passed,
        reply=reply,
        phase_index=state.phase,
        patience=state.patience,
        objections=len(state.objections_raised),
    )
    new = replace(
        state,
        phase=index,
        patience=max(0, patience),
        turns=(*state.turns, turn),
        objections_raised=raised,
        ended=ended,
    )
    return new, reply


def restart_from(state: CallState, turn_index: int) -> CallState:
    """The call as it was just before rep turn `turn_index` (from 0), running again: to retry
    from the weakest moment. The customer's line to answer is customer_line() of it."""
    if not 0 <= turn_index < len(state.turns):
        raise ValueError(f"no turn {turn_index} in this call")
    turn = state.turns[turn_index]
    return replace(
        state,
        phase=turn.phase_index,
        patience=turn.patience,
        turns=state.turns[:turn_index],
        objections_raised=state.objections_raised[: turn.objections],
        ended=None,
    )


def cancel(state: CallState) -> CallState:
    """The call ended by the rep (/cancel); an ended call stays as it ended."""
    return state if state.ended is not None else replace(state, ended="cancelled")
