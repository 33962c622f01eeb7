"""The end-of-call scorecard: each criterion met or not, the strongest and weakest line, and a
model answer for the weakest moment."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.roleplay.checks import GUARDS
from bot.coach.roleplay.engine import CallState, RepTurn
from bot.coach.roleplay.scenario import Criterion, Scenario


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One scorecard line."""

    id: str
    label: str
    met: bool


@dataclass(frozen=True, slots=True)
class QuotedTurn:
    """A rep turn to quote: its index in the call (for restart_from), text and criteria met."""

    index: int
    text: str
    met: int


@dataclass(frozen=True, slots=True)
class Scorecard:
    """The call's result: criteria in the scenario's order, `met` of `total` (`percent`
    0-100), how it ended (None while running), the strongest and weakest turn, and the model
    answer for the weakest (with the criterion it shows)."""

    scenario_id: str
    outcome: str | None
    criteria: tuple[CriterionResult, ...]
    met: int
    total: int
    percent: int
    turns: int
    strongest: QuotedTurn | None
    weakest: QuotedTurn | None
    model: str | None
    model_criterion: str | None


def _met(criterion: Criterion, turns: tuple[RepTurn, ...]) -> bool:
    """Met if a turn that checked it met it; a guard ("no aber") only if every such turn did."""
    checked = [turn for turn in turns if criterion.id in turn.checked]
    if criterion.check in GUARDS:
        return bool(checked) and all(criterion.id in turn.met for turn in checked)
    return any(criterion.id in turn.met for turn in checked)


def _missed(scenario: Scenario, turn: RepTurn) -> Criterion | None:
    """The first criterion the turn missed, those that would have moved the call on first."""
    required = next(
        (phase.required for phase in scenario.phases if phase.id == turn.phase), turn.checked
    )
    missed = [c for c in scenario.criteria if c.id in turn.checked and c.id not in turn.met]
    return next((c for c in missed if c.id in required), missed[0] if missed else None)


def score(scenario: Scenario, state: CallState) -> Scorecard:
    """The scorecard of a call (ended or, for a look in between, still running)."""
    results = tuple(
        CriterionResult(id=c.id, label=c.label, met=_met(c, state.turns)) for c in scenario.criteria
    )
    met = sum(result.met for result in results)
    total = len(results)
    turns = state.turns
    strongest = None
    if turns:
        # max() keeps the first of equals: ties go to the earliest turn.
        best = max(range(len(turns)), key=lambda i: len(turns[i].met))
        strongest = QuotedTurn(best, turns[best].text, len(turns[best].met))
    weakest = None
    model = model_criterion = None
    weak = [i for i, turn in enumerate(turns) if turn.weak]
    if weak:
        worst = min(weak, key=lambda i: len(turns[i].met))
        weakest = QuotedTurn(worst, turns[worst].text, len(turns[worst].met))
        missed = _missed(scenario, turns[worst])
        if missed is not None:
            model, model_criterion = missed.model, missed.id
    return Scorecard(
        scenario_id=scenario.id,
        outcome=state.ended,
        criteria=results,
        met=met,
        total=total,
        percent=round(100 * met / total) if total else 0,
        turns=len(turns),
        strongest=strongest,
        weakest=weakest,
        model=model,
        model_criterion=model_criterion,
    )
