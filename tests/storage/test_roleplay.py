"""Practice calls in storage: one running call per rep, the state after each turn, the result
at the end, results per scenario and per week, double taps and old buttons on start."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.coach.profile import Profile
from bot.coach.roleplay import CallState, RepTurn, cancel
from bot.storage import Storage
from bot.storage.roleplay import RoleplayCall
from bot.storage.tables import roleplay_calls
from bot.storage.taps import Tap, tap_origin

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
REP = 1
OTHER = 2


async def _reps(storage: Storage) -> None:
    for user_id in (REP, OTHER):
        await storage.users.create(Profile(user_id, user_id, "de", "UTC", onboarded=True), NOW)


def _state(scenario_id: str = "cold_call", difficulty: str = "medium") -> CallState:
    return CallState(scenario_id=scenario_id, lang="de", difficulty=difficulty, phase=0, patience=3)


def _turn(state: CallState, text: str, *, weak: bool = False) -> CallState:
    turn = RepTurn(
        text=text,
        phase="opening",
        checked=("reason_early",),
        met=() if weak else ("reason_early",),
        weak=weak,
        reply="Aha.",
        phase_index=state.phase,
        patience=state.patience,
        objections=0,
    )
    return CallState(
        scenario_id=state.scenario_id,
        lang=state.lang,
        difficulty=state.difficulty,
        phase=state.phase + (0 if weak else 1),
        patience=state.patience - (1 if weak else 0),
        turns=(*state.turns, turn),
    )


async def _started(storage: Storage, state: CallState | None = None, **kw: object) -> RoleplayCall:
    call = await storage.roleplay.start(REP, state or _state(), NOW, **kw)  # type: ignore[arg-type]
    assert isinstance(call, RoleplayCall)
    return call


async def test_a_call_is_stored_after_each_turn_and_read_back(storage: Storage) -> None:
    await _reps(storage)
    call = await _started(storage)
    assert call.running
    assert call.state == _state()
    assert await storage.roleplay.active(REP) == call
    assert await storage.roleplay.active(OTHER) is None
    after = _turn(call.state, "Ich rufe an, weil – „Ümläute“ & <b>HTML</b> 😀")
    assert await storage.roleplay.save(call, after, NOW + timedelta(minutes=1))
    stored = await storage.roleplay.get(REP, call.id)
    assert stored is not None
    assert stored.state == after, "text, Unicode and markup come back as typed"
    assert await storage.roleplay.get(OTHER, call.id) is None, "another rep's call is not theirs"


async def test_a_stale_save_stores_nothing(storage: Storage) -> None:
    await _reps(storage)
    call = await _started(storage)
    first = _turn(call.state, "eins")
    assert await storage.roleplay.save(call, first, NOW)
    # A second process answering the same turn from the old state loses.
    assert not await storage.roleplay.save(call, _turn(call.state, "zwei"), NOW)
    stored = await storage.roleplay.get(REP, call.id)
    assert stored is not None
    assert stored.state == first


async def test_finish_stores_the_figures_and_ends_the_call(storage: Storage) -> None:
    await _reps(storage)
    call = await _started(storage)
    ended = _turn(call.state, "Ich rufe an, weil …")
    later = NOW + timedelta(minutes=3)
    done = await storage.roleplay.finish(
        call, ended, later, outcome="success", met=5, total=7, percent=71
    )
    assert done
    stored = await storage.roleplay.get(REP, call.id)
    assert stored is not None
    assert (stored.outcome, stored.met, stored.total, stored.percent) == ("success", 5, 7, 71)
    assert stored.ended_at == later
    assert not stored.running
    assert await storage.roleplay.active(REP) is None
    # An ended call takes no more turns, and does not end twice.
    assert not await storage.roleplay.save(stored, _turn(ended, "noch was"), later)
    assert not await storage.roleplay.cancel(stored, cancel(ended), later)


async def test_starting_a_call_cancels_the_one_left_running(storage: Storage) -> None:
    await _reps(storage)
    first = await _started(storage)
    second = await _started(storage, _state("gatekeeper"))
    old = await storage.roleplay.get(REP, first.id)
    assert old is not None
    assert old.outcome == "cancelled"
    assert await storage.roleplay.active(REP) == second
    assert await storage.roleplay.results(REP, "cold_call") == [], "cancelled: no result"


async def test_a_double_tap_starts_one_call(storage: Storage) -> None:
    await _reps(storage)
    origin = tap_origin(REP, 40, "rp:go:cold_call:medium")
    call = await _started(storage, tap=Tap("q1", origin))
    assert await storage.roleplay.start(REP, _state(), NOW, tap=Tap("q1", origin)) == "double"
    again = await storage.roleplay.start(
        REP, _state(), NOW + timedelta(seconds=0.5), tap=Tap("q2", origin)
    )
    assert again == "double"
    assert await storage.roleplay.active(REP) == call


async def test_an_old_button_does_not_replace_the_call_the_rep_is_in(storage: Storage) -> None:
    await _reps(storage)
    call = await _started(storage)
    later = NOW + timedelta(minutes=5)
    tap = Tap("q9", tap_origin(REP, 12, "rp:again:1"))
    assert await storage.roleplay.start(REP, _state(), later, tap=tap, keep=call.id) == "busy"
    assert await storage.roleplay.active(REP) == call
    # Once that call has ended, the same kind of tap starts a new one.
    await storage.roleplay.cancel(call, cancel(call.state), later)
    tap = Tap("q10", tap_origin(REP, 12, "rp:again:1"))
    new = await storage.roleplay.start(REP, _state(), later, tap=tap, keep=call.id)
    assert isinstance(new, RoleplayCall)
    assert new.id != call.id


async def test_results_per_scenario_newest_first_and_per_week(storage: Storage) -> None:
    await _reps(storage)
    for day, (scenario, met) in enumerate([("cold_call", 3), ("gatekeeper", 4), ("cold_call", 6)]):
        when = NOW + timedelta(days=day)
        call = await storage.roleplay.start(REP, _state(scenario), when)
        assert isinstance(call, RoleplayCall)
        state = _turn(call.state, "x")
        outcome = "success" if met > 4 else "hang_up"
        percent = round(100 * met / 7)
        await storage.roleplay.finish(
            call, state, when, outcome=outcome, met=met, total=7, percent=percent
        )
    cancelled = await storage.roleplay.start(REP, _state(), NOW + timedelta(days=1))
    assert isinstance(cancelled, RoleplayCall)
    await storage.roleplay.cancel(cancelled, cancel(cancelled.state), NOW + timedelta(days=1))
    other = await storage.roleplay.start(OTHER, _state(), NOW)
    assert isinstance(other, RoleplayCall)
    await storage.roleplay.finish(
        other, other.state, NOW, outcome="success", met=7, total=7, percent=100
    )

    cold = await storage.roleplay.results(REP, "cold_call")
    assert [(r.met, r.outcome) for r in cold] == [(6, "success"), (3, "hang_up")]
    assert cold[0].turns == 1
    assert cold[0].percent == 86
    week = await storage.roleplay.between(REP, NOW, NOW + timedelta(days=2))
    assert [(r.scenario_id, r.met) for r in week] == [("cold_call", 3), ("gatekeeper", 4)]


async def test_a_state_this_version_cannot_read_is_no_running_call(storage: Storage) -> None:
    await _reps(storage)
    call = await _started(storage)
    async with storage.engine.begin() as conn:
        await conn.execute(update(roleplay_calls).values(state=json.dumps({"v": 99, "turns": "?"})))
    assert await storage.roleplay.get(REP, call.id) is None
    assert await storage.roleplay.active(REP) is None
    # A new call can start all the same, and ends the unreadable one.
    assert isinstance(await storage.roleplay.start(REP, _state(), NOW), RoleplayCall)
