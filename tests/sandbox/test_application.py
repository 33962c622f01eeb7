"""The real PTB Application, long polling against the sandbox, driven like a user."""

from __future__ import annotations

from telegram.ext import Application

from bot.sandbox import Sandbox


async def test_echo_and_button_press_end_to_end(
    sandbox: Sandbox,
    running_app: Application,  # type: ignore[type-arg]
) -> None:
    user = sandbox.user(7, first_name="Ben", language_code="en")

    user.send_command("start")
    question = await user.next_message()
    assert question.text == "Bereit?"
    assert question.button_labels == ["Ja", "Nein"]

    press = user.press("Nein")
    query_id = press["callback_query"]["id"]
    answer = await user.wait_for(lambda: user.callback_answer(query_id))
    assert answer.text == "ok: no"
    await user.wait_for(lambda: question.edit_count == 1)
    assert question.text == "Gewählt: no"
    assert question.inline_keyboard == []

    user.send_text("Hallo Bot")
    reply = await user.next_message()
    assert reply.text == "Hallo Bot"
    assert "reply_to_message" not in reply.data  # PTB 22's reply_text does not quote

    await sandbox.wait_idle(timeout=2)
    assert sandbox.pending_updates == 0
    assert [c.method for c in sandbox.calls if c.method != "getUpdates"][:3] == [
        "getMe",
        "deleteWebhook",
        "sendMessage",
    ]


async def test_many_users_in_parallel(
    sandbox: Sandbox,
    running_app: Application,  # type: ignore[type-arg]
) -> None:
    users = [sandbox.user(100 + i) for i in range(20)]
    for number, user in enumerate(users):
        user.send_text(f"Nachricht {number}")
    for number, user in enumerate(users):
        assert (await user.next_message()).text == f"Nachricht {number}"
    await sandbox.wait_idle(timeout=2)
