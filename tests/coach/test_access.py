"""Access decisions, invite limits and deep-link parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coach.access import (
    ADMIN,
    REP,
    AccessMode,
    Invite,
    Member,
    Verdict,
    command_of,
    decide,
    deep_link,
    retention_cutoff,
    start_code,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def verdict(mode: AccessMode, user_id: int, member: Member | None) -> Verdict:
    return decide(mode, user_id, member, admin_ids=(1,), allowed_ids=(2,))


@pytest.mark.parametrize("mode", ["open", "invite", "allowlist"])
def test_admins_always_pass_even_disabled_in_the_database(mode: AccessMode) -> None:
    assert verdict(mode, 1, Member(1, REP, disabled=True)) == Verdict(True, admin=True)
    assert verdict(mode, 5, Member(5, ADMIN)) == Verdict(True, admin=True)


@pytest.mark.parametrize("mode", ["open", "invite", "allowlist"])
def test_disabled_reps_are_refused_in_every_mode(mode: AccessMode) -> None:
    assert verdict(mode, 2, Member(2, REP, disabled=True)) == Verdict(False, reason="disabled")
    assert not verdict(mode, 5, Member(5, ADMIN, disabled=True)).allowed


@pytest.mark.parametrize(
    ("mode", "user_id", "member", "allowed", "reason"),
    [
        ("open", 9, None, True, None),
        ("invite", 9, None, False, "not_invited"),
        ("invite", 9, Member(9), True, None),
        ("allowlist", 2, None, True, None),
        ("allowlist", 9, None, False, "not_listed"),
        ("allowlist", 9, Member(9), False, "not_listed"),
    ],
)
def test_mode_rules(
    mode: AccessMode, user_id: int, member: Member | None, allowed: bool, reason: str | None
) -> None:
    result = verdict(mode, user_id, member)
    assert (result.allowed, result.reason, result.admin) == (allowed, reason, False)


def invite(**changes: object) -> Invite:
    values: dict[str, object] = {
        "id": 1,
        "code": "abcdefgh12",
        "role": REP,
        "max_uses": 1,
        "uses": 0,
        "expires_at": NOW + timedelta(days=1),
        "revoked_at": None,
        "created_at": NOW,
    }
    values.update(changes)
    return Invite(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "at", "problem"),
    [
        ({}, NOW, None),
        ({}, NOW + timedelta(days=1), "expired"),
        ({"uses": 1}, NOW, "used_up"),
        ({"max_uses": None, "uses": 50}, NOW, None),
        ({"expires_at": None}, NOW + timedelta(days=999), None),
        ({"revoked_at": NOW, "uses": 1}, NOW, "revoked"),
    ],
)
def test_invite_problems(changes: dict[str, object], at: datetime, problem: str | None) -> None:
    assert invite(**changes).problem(at) == problem


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("/start abcdefgh12", "abcdefgh12"),
        ("/start@SalesCoachBot Ab-_cdef99", "Ab-_cdef99"),
        ("/start", None),
        ("/start short", None),
        ("/start has space in it", None),
        ("/help abcdefgh12", None),
        ("start abcdefgh12", None),
        (None, None),
    ],
)
def test_start_code(text: str | None, code: str | None) -> None:
    assert start_code(text) == code


def test_command_of() -> None:
    assert command_of("/Privacy") == ("privacy", "")
    assert command_of("/export@SalesCoachBot now") == ("export", "now")
    assert command_of("hello") is None
    assert command_of("/") is None


@given(st.text())
def test_start_code_never_crashes_and_only_accepts_link_payloads(text: str) -> None:
    code = start_code(text)
    assert code is None or (8 <= len(code) <= 64 and deep_link("b", code).endswith(code))


def test_deep_link_and_retention() -> None:
    assert deep_link("SalesCoachBot", "abc") == "https://t.me/SalesCoachBot?start=abc"
    assert retention_cutoff(NOW, 0) is None
    assert retention_cutoff(NOW, 365) == NOW - timedelta(days=365)
