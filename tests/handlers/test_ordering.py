"""Concurrent update processing keeps each chat's updates in order and lets other chats pass."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.handlers.ordering import PerChatUpdateProcessor


def update(update_id: int, chat_id: int) -> Update:
    """A text message update in a private chat."""
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Rep"},
            "text": "hi",
        },
    }
    return Update.de_json(data, None)


async def test_one_chat_waits_other_chats_pass() -> None:
    processor = PerChatUpdateProcessor(8)
    log: list[str] = []
    release = asyncio.Event()
    other_done = asyncio.Event()

    async def first() -> None:
        log.append("a1 start")
        await release.wait()
        log.append("a1 end")

    async def second() -> None:
        log.append("a2 start")

    async def other() -> None:
        log.append("b1")
        other_done.set()

    tasks = [
        asyncio.create_task(processor.process_update(update(1, 10), first())),
        asyncio.create_task(processor.process_update(update(2, 10), second())),
        asyncio.create_task(processor.process_update(update(3, 20), other())),
    ]
    await asyncio.wait_for(other_done.wait(), timeout=5)
    assert log == ["a1 start", "b1"], "chat 20 ran while chat 10 was busy; a2 waited"
    assert processor.busy_chats == 1
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=5)
    assert log == ["a1 start", "b1", "a1 end", "a2 start"]
    assert processor.busy_chats == 0, "no lock is kept for idle chats"


async def test_order_is_kept_for_many_updates_of_one_chat() -> None:
    processor = PerChatUpdateProcessor(4)
    seen: list[int] = []

    async def record(n: int) -> None:
        # Yield a few times so that, without the lock, later updates would overtake.
        for _ in range(n % 3):
            await asyncio.sleep(0)
        seen.append(n)

    await asyncio.gather(*(processor.process_update(update(n, 7), record(n)) for n in range(50)))
    assert seen == list(range(50))


async def test_a_failing_update_releases_its_chat() -> None:
    processor = PerChatUpdateProcessor(2)

    async def boom() -> None:
        raise RuntimeError("handler bug")

    async def fine() -> None:
        return None

    results = await asyncio.gather(
        processor.process_update(update(1, 5), boom()),
        processor.process_update(update(2, 5), fine()),
        return_exceptions=True,
    )
    assert isinstance(results[0], RuntimeError)
    assert results[1] is None
    assert processor.busy_chats == 0


def test_key_falls_back_to_the_user_and_ignores_other_objects() -> None:
    inline = Update.de_json(
        {
            "update_id": 9,
            "inline_query": {
                "id": "1",
                "from": {"id": 77, "is_bot": False, "first_name": "Rep"},
                "query": "zu teuer",
                "offset": "",
            },
        },
        None,
    )
    assert PerChatUpdateProcessor.key(inline) == 77
    assert PerChatUpdateProcessor.key(update(1, 10)) == 10
    assert PerChatUpdateProcessor.key(object()) is None
