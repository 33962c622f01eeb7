"""A local Telegram Bot API emulator: run the real PTB Application without Telegram."""

from bot.sandbox.faults import Fault, FaultInjector
from bot.sandbox.models import (
    CallbackAnswer,
    ChatEvent,
    InlineAnswer,
    RecordedCall,
    SandboxError,
    SandboxMessage,
    StoredFile,
)
from bot.sandbox.server import Sandbox
from bot.sandbox.users import SandboxUser

__all__ = [
    "CallbackAnswer",
    "ChatEvent",
    "Fault",
    "FaultInjector",
    "InlineAnswer",
    "RecordedCall",
    "Sandbox",
    "SandboxError",
    "SandboxMessage",
    "SandboxUser",
    "StoredFile",
]
