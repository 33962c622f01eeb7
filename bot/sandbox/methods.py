"""The Bot API methods: parameters in, Telegram-shaped results or errors out."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.formatting import (
    EntityParseError,
    find_entities,
    merge_entities,
    parse_text,
    trim_text,
)
from bot.sandbox.media import file_object, photo_sizes
from bot.sandbox.models import (
    ApiError,
    CallbackAnswer,
    InlineAnswer,
    JSONDict,
    SandboxMessage,
    StoredFile,
    bad_request,
)
from bot.sandbox.params import Params
from bot.sandbox.users import SandboxUser
from bot.sandbox.world import World

Handler = Callable[[Params, int], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_DOWNLOAD = 20 * 1024 * 1024

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
_BLOCKED = "Forbidden: bot was blocked by the user"
_INLINE_ACTIONS = frozenset(
    {
        "callback_data",
        "url",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
# setWebhook secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_MEDIA_KINDS = ("photo", "document", "voice", "audio", "video", "animation")


def _inline_markup(markup: JSONDict | None) -> JSONDict | None:
    """The markup as it appears inside a Message: only non-empty inline keyboards."""
    if markup and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _check_markup(markup: JSONDict) -> None:
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse inline keyboard button: field "inline_keyboard" '
                "of the InlineKeyboardMarkup must be an Array of Arrays"
            )
        for row in rows:
            for button in row:
                if not isinstance(button, dict):
                    raise bad_request(
                        "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                    )
                if not str(button.get("text", "")):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                if not _INLINE_ACTIONS.intersection(button):
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse keyboard button: field "keyboard" of the '
                "ReplyKeyboardMarkup must be an Array of Arrays"
            )
    elif not ("remove_keyboard" in markup or "force_reply" in markup):
        raise bad_request("can't parse reply keyboard markup JSON object")


class BotApi:
    """Implements each supported Bot API method against a World."""

    def __init__(self, world: World) -> None:
        self.world = world
        table: dict[str, Handler] = {
            "getMe": self.get_me,
            "logOut": self.ok,
            "close": self.ok,
            "getUpdates": self.get_updates,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "answerCallbackQuery": self.answer_callback_query,
            "answerInlineQuery": self.answer_inline_query,
            "sendPhoto": self.send_photo,
            "sendDocument": self.send_document,
            "sendVoice": self.send_voice,
            "sendAudio": self.send_audio,
            "sendVideo": self.send_video,
            "sendAnimation": self.send_animation,
            "sendLocation": self.send_location,
            "sendChatAction": self.send_chat_action,
            "getFile": self.get_file,
            "getChat": self.get_chat,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setMyDescription": self.set_my_description,
            "getMyDescription": self.get_my_description,
            "setMyShortDescription": self.set_my_short_description,
            "getMyShortDescription": self.get_my_short_description,
            "setMyName": self.set_my_name,
            "getMyName": self.get_my_name,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
        }
        # Telegram treats method names case-insensitively
        self.handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler) for name, handler in table.items()
        }

    # -- shared helpers ------------------------------------------------------------------

    def chat(self, p: Params, *, for_sending: bool = True) -> SandboxUser:
        """The private chat addressed by chat_id (403 if the user blocked the bot)."""
        raw = p.raw.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        user = self.world.users.get(chat_id)
        if user is None:
            raise bad_request("chat not found")
        if for_sending and user.blocked:
            raise ApiError(403, _BLOCKED)
        return user

    @staticmethod
    def formatted(
        p: Params, key: str, entities_key: str, *, limit: int, required: bool
    ) -> tuple[str, list[JSONDict], str | None, str | None]:
        """(text, entities, parse_mode, source) of a text or caption, validated like Telegram."""
        source = p.get_str(key)
        parse_mode = p.get_str("parse_mode")
        explicit = p.get_array(entities_key)
        if source is None:
            source = ""
        if explicit is not None:
            text, entities = source, [e for e in explicit if isinstance(e, dict)]
        else:
            try:
                text, entities = parse_text(source, parse_mode)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
        text, entities = trim_text(text, entities)
        if not text:
            if required:
                raise bad_request("message text is empty")
            return "", [], parse_mode, source
        if len(text) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return text, merge_entities(entities, find_entities(text)), parse_mode, source

    @staticmethod
    def markup(p: Params) -> JSONDict | None:
        """The validated reply_markup, if any."""
        markup = p.get_object("reply_markup")
        if markup is not None:
            _check_markup(markup)
        return markup

    @staticmethod
    def reply_target(p: Params, chat: SandboxUser) -> JSONDict | None:
        """The replied-to message JSON for reply_parameters / reply_to_message_id."""
        params = p.get_object("reply_parameters") or {}
        message_id = params.get("message_id", p.get_int("reply_to_message_id"))
        if message_id is None:
            return None
        allow = bool(
            params.get("allow_sending_without_reply", p.get_bool("allow_sending_without_reply"))
        )
        replied = chat.get_message(int(message_id))
        if replied is None:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        data = dict(replied.data)
        data.pop("reply_to_message", None)
        return data

    def new_message(
        self,
        p: Params,
        bot_id: int,
        chat: SandboxUser,
        content: JSONDict,
        *,
        markup: JSONDict | None,
        parse_mode: str | None,
        source: str | None,
        file: StoredFile | None = None,
    ) -> JSONDict:
        """Create, store and return a bot message with ``content`` fields."""
        data: JSONDict = {
            "message_id": chat.new_message_id(),
            "from": self.world.bot_user(bot_id),
            "chat": chat.chat_json,
            "date": self.world.now(),
        }
        replied = self.reply_target(p, chat)
        if replied is not None:
            data["reply_to_message"] = replied
        data.update(content)
        shown = _inline_markup(markup)
        if shown is not None:
            data["reply_markup"] = shown
        message = SandboxMessage(
            data=data,
            outgoing=True,
            reply_markup=markup,
            parse_mode=parse_mode,
            source_text=source,
            file=file,
        )
        chat.add_bot_message(message)
        return data

    def editable(self, p: Params, *, missing: str = "message to edit not found") -> SandboxMessage:
        """The bot message addressed by chat_id + message_id."""
        chat = self.chat(p, for_sending=False)
        message = chat.get_message(p.require_int("message_id"))
        if message is None:
            raise bad_request(missing)
        return message

    # -- general -------------------------------------------------------------------------

    async def ok(self, p: Params, bot_id: int) -> bool:
        """Methods that just succeed (logOut, close)."""
        return True

    async def get_me(self, p: Params, bot_id: int) -> JSONDict:
        """getMe."""
        return {
            **self.world.bot_user(bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, p: Params, bot_id: int) -> list[JSONDict]:
        """getUpdates with long polling."""
        if self.world.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        timeout = max(p.get_float("timeout", 0.0) or 0.0, 0.0)
        allowed = p.get_array("allowed_updates")
        self.world.set_allowed_updates(
            [str(kind) for kind in allowed] if allowed is not None else None
        )
        return await self.world.get_updates(p.get_int("offset"), limit, timeout)

    async def set_webhook(self, p: Params, bot_id: int) -> bool:
        """setWebhook (stored only: the sandbox never calls webhooks)."""
        url = p.get_str("url") or ""
        if url and not url.lower().startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get_str("secret_token") or ""
        if secret and not SECRET_TOKEN.fullmatch(secret):
            raise bad_request("bad webhook: secret token contains unallowed characters")
        self.world.webhook_secret = secret
        if p.get_bool("drop_pending_updates"):
            self.world.drop_pending_updates()
        self.world.webhook = {"url": url}
        allowed = p.get_array("allowed_updates")
        if allowed is not None:
            self.world.webhook["allowed_updates"] = allowed
        return True

    async def delete_webhook(self, p: Params, bot_id: int) -> bool:
        """deleteWebhook."""
        if p.get_bool("drop_pending_updates"):
            self.world.drop_pending_updates()
        self.world.webhook = {"url": ""}
        self.world.webhook_secret = ""
        return True

    async def get_webhook_info(self, p: Params, bot_id: int) -> JSONDict:
        """getWebhookInfo."""
        return {
            **self.world.webhook,
            "has_custom_certificate": False,
            "pending_update_count": self.world.pending_updates,
        }

    # -- messages ------------------------------------------------------------------------

    async def send_message(self, p: Params, bot_id: int) -> JSONDict:
        """sendMessage."""
        # Telegram validates the text before it looks at the chat
        text, entities, parse_mode, source = self.formatted(
            p, "text", "entities", limit=MAX_TEXT, required=True
        )
        chat = self.chat(p)
        markup = self.markup(p)
        content: JSONDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self.new_message(
            p, bot_id, chat, content, markup=markup, parse_mode=parse_mode, source=source
        )

    async def edit_message_text(self, p: Params, bot_id: int) -> JSONDict | bool:
        """editMessageText."""
        text, entities, parse_mode, source = self.formatted(
            p, "text", "entities", limit=MAX_TEXT, required=True
        )
        markup = self.markup(p)
        if "inline_message_id" in p:
            return True
        message = self.editable(p)
        if not message.outgoing:
            raise bad_request("message can't be edited")
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        return self._apply_edit(
            message, "text", "entities", text, entities, markup, parse_mode, source
        )

    async def edit_message_caption(self, p: Params, bot_id: int) -> JSONDict | bool:
        """editMessageCaption."""
        text, entities, parse_mode, source = self.formatted(
            p, "caption", "caption_entities", limit=MAX_CAPTION, required=False
        )
        markup = self.markup(p)
        if "inline_message_id" in p:
            return True
        message = self.editable(p)
        if not message.outgoing:
            raise bad_request("message can't be edited")
        if "text" in message.data:
            raise bad_request("there is no caption in the message to edit")
        return self._apply_edit(
            message, "caption", "caption_entities", text, entities, markup, parse_mode, source
        )

    def _apply_edit(
        self,
        message: SandboxMessage,
        key: str,
        entities_key: str,
        text: str,
        entities: list[JSONDict],
        markup: JSONDict | None,
        parse_mode: str | None,
        source: str | None,
    ) -> JSONDict:
        data = message.data
        # omitting reply_markup in an edit removes the inline keyboard, as on Telegram
        shown = _inline_markup(markup)
        if (
            data.get(key, "") == text
            and data.get(entities_key, []) == entities
            and data.get("reply_markup") == shown
        ):
            raise bad_request(_NOT_MODIFIED)
        if text:
            data[key] = text
        else:
            data.pop(key, None)
        if entities:
            data[entities_key] = entities
        else:
            data.pop(entities_key, None)
        self._set_markup(message, markup)
        message.parse_mode = parse_mode
        message.source_text = source
        return self._edited(message)

    @staticmethod
    def _set_markup(message: SandboxMessage, markup: JSONDict | None) -> None:
        shown = _inline_markup(markup)
        if shown is None:
            message.data.pop("reply_markup", None)
        else:
            message.data["reply_markup"] = shown
        message.reply_markup = markup

    def _edited(self, message: SandboxMessage) -> JSONDict:
        message.data["edit_date"] = self.world.now()
        message.edit_count += 1
        self.world.users[message.chat_id].message_edited(message)
        return message.data

    async def edit_message_reply_markup(self, p: Params, bot_id: int) -> JSONDict | bool:
        """editMessageReplyMarkup."""
        markup = self.markup(p)
        if markup is not None and "inline_keyboard" not in markup:
            raise bad_request("inline keyboard expected")
        if "inline_message_id" in p:
            return True
        message = self.editable(p)
        if not message.outgoing:
            raise bad_request("message can't be edited")
        if message.data.get("reply_markup") == _inline_markup(markup):
            raise bad_request(_NOT_MODIFIED)
        self._set_markup(message, markup)
        return self._edited(message)

    async def delete_message(self, p: Params, bot_id: int) -> bool:
        """deleteMessage."""
        message = self.editable(p, missing="message to delete not found")
        self.world.users[message.chat_id].delete_message(message)
        return True

    async def delete_messages(self, p: Params, bot_id: int) -> bool:
        """deleteMessages (missing messages are skipped, as on Telegram)."""
        chat = self.chat(p, for_sending=False)
        ids = p.get_array("message_ids")
        if not ids:
            raise bad_request("message identifiers are not specified")
        for message_id in ids:
            message = chat.get_message(int(message_id))
            if message is not None:
                chat.delete_message(message)
        return True

    async def send_location(self, p: Params, bot_id: int) -> JSONDict:
        """sendLocation."""
        chat = self.chat(p)
        latitude, longitude = p.get_float("latitude"), p.get_float("longitude")
        if latitude is None or longitude is None:
            raise bad_request("latitude and longitude must be specified")
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self.new_message(
            p, bot_id, chat, content, markup=self.markup(p), parse_mode=None, source=None
        )

    async def send_chat_action(self, p: Params, bot_id: int) -> bool:
        """sendChatAction."""
        self.chat(p)
        if p.get_str("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def get_chat(self, p: Params, bot_id: int) -> JSONDict:
        """getChat for a private chat."""
        chat = self.chat(p, for_sending=False)
        return {
            **chat.chat_json,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }

    # -- callback and inline queries -----------------------------------------------------

    async def answer_callback_query(self, p: Params, bot_id: int) -> bool:
        """answerCallbackQuery (each query can be answered once)."""
        query_id = p.get_str("callback_query_id") or ""
        pending = self.world.callback_queries.pop(query_id, None)
        if pending is None:
            raise bad_request(_QUERY_TOO_OLD)
        user, data, message_id = pending
        text = p.get_str("text")
        if text is not None and len(text) > 200:
            self.world.callback_queries[query_id] = pending
            raise bad_request("MESSAGE_TOO_LONG")
        user.add_callback_answer(
            CallbackAnswer(
                callback_query_id=query_id,
                data=data,
                message_id=message_id,
                text=text,
                show_alert=p.get_bool("show_alert"),
                url=p.get_str("url"),
                cache_time=p.get_int("cache_time", 0) or 0,
            )
        )
        return True

    async def answer_inline_query(self, p: Params, bot_id: int) -> bool:
        """answerInlineQuery (results are stored for the test to inspect)."""
        query_id = p.get_str("inline_query_id") or ""
        results = p.get_array("results")
        if results is None:
            raise bad_request("results is empty")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or "type" not in result or "id" not in result:
                raise bad_request("can't parse InlineQueryResult JSON object")
            if str(result["id"]) in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(str(result["id"]))
        user = self.world.inline_queries.pop(query_id, None)
        if user is None:
            raise bad_request(_QUERY_TOO_OLD)
        self.world.inline_answers[query_id] = InlineAnswer(
            inline_query_id=query_id,
            results=[r for r in results if isinstance(r, dict)],
            cache_time=p.get_int("cache_time"),
            is_personal=p.get_bool("is_personal"),
            next_offset=p.get_str("next_offset"),
            button=p.get_object("button"),
        )
        user.signal.fire()
        return True

    # -- files ---------------------------------------------------------------------------

    def input_file(self, p: Params, kind: str) -> StoredFile:
        """The file a send method refers to: an upload, an attach:// part, a file_id or URL."""
        upload = p.files.get(kind)
        value = p.raw.get(kind)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value.removeprefix("attach://"))
        if upload is not None:
            return self.world.store_file(
                kind,
                upload.data,
                file_name=None if kind == "photo" else upload.filename,
                mime_type=upload.content_type if kind != "photo" else None,
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.lower().startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return self.world.store_file(kind, b"", file_name=name, source_url=value)
        known = self.world.files.get(value)
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known

    async def _send_media(self, p: Params, bot_id: int, kind: str) -> JSONDict:
        caption, entities, parse_mode, source = self.formatted(
            p, "caption", "caption_entities", limit=MAX_CAPTION, required=False
        )
        chat = self.chat(p)
        markup = self.markup(p)
        stored = self.input_file(p, kind)
        media: Any
        if kind == "photo":
            media = photo_sizes(stored)
        elif kind == "voice":
            media = file_object(stored, duration=p.get_int("duration", 0))
        elif kind == "audio":
            media = file_object(
                stored,
                duration=p.get_int("duration", 0),
                performer=p.get_str("performer"),
                title=p.get_str("title"),
            )
        elif kind in ("video", "animation"):
            media = file_object(
                stored,
                duration=p.get_int("duration", 0),
                width=p.get_int("width", 0),
                height=p.get_int("height", 0),
            )
        else:
            media = file_object(stored)
        content: JSONDict = {kind: media}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return self.new_message(
            p,
            bot_id,
            chat,
            content,
            markup=markup,
            parse_mode=parse_mode,
            source=source,
            file=stored,
        )

    async def send_photo(self, p: Params, bot_id: int) -> JSONDict:
        """sendPhoto."""
        return await self._send_media(p, bot_id, "photo")

    async def send_document(self, p: Params, bot_id: int) -> JSONDict:
        """sendDocument."""
        return await self._send_media(p, bot_id, "document")

    async def send_voice(self, p: Params, bot_id: int) -> JSONDict:
        """sendVoice."""
        return await self._send_media(p, bot_id, "voice")

    async def send_audio(self, p: Params, bot_id: int) -> JSONDict:
        """sendAudio."""
        return await self._send_media(p, bot_id, "audio")

    async def send_video(self, p: Params, bot_id: int) -> JSONDict:
        """sendVideo."""
        return await self._send_media(p, bot_id, "video")

    async def send_animation(self, p: Params, bot_id: int) -> JSONDict:
        """sendAnimation."""
        return await self._send_media(p, bot_id, "animation")

    async def get_file(self, p: Params, bot_id: int) -> JSONDict:
        """getFile."""
        stored = self.world.files.get(p.get_str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.file_size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.file_size,
            "file_path": stored.file_path,
        }

    # -- bot settings --------------------------------------------------------------------

    @staticmethod
    def _scope_key(p: Params) -> tuple[str, str]:
        scope = p.get_object("scope") or {"type": "default"}
        language = p.get_str("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True, separators=(",", ":")), language

    async def set_my_commands(self, p: Params, bot_id: int) -> bool:
        """setMyCommands, stored per scope and language."""
        commands = p.get_array("commands")
        if commands is None:
            raise bad_request("commands is empty")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JSONDict] = []
        for entry in commands:
            if not isinstance(entry, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = str(entry.get("command", ""))
            description = str(entry.get("description", ""))
            if not _COMMAND_RE.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        self.world.commands[self._scope_key(p)] = cleaned
        return True

    async def get_my_commands(self, p: Params, bot_id: int) -> list[JSONDict]:
        """getMyCommands."""
        return list(self.world.commands.get(self._scope_key(p), []))

    async def delete_my_commands(self, p: Params, bot_id: int) -> bool:
        """deleteMyCommands."""
        self.world.commands.pop(self._scope_key(p), None)
        return True

    def _set_text_setting(self, p: Params, field: str, limit: int) -> bool:
        value = p.get_str(field) or ""
        if len(value) > limit:
            raise bad_request(f"{field} is too long")
        language = p.get_str("language_code") or ""
        key = (field, language)
        if value:
            self.world.descriptions[key] = value
        else:
            self.world.descriptions.pop(key, None)
        return True

    def _get_text_setting(self, p: Params, field: str) -> JSONDict:
        language = p.get_str("language_code") or ""
        value = self.world.descriptions.get((field, language))
        if value is None:
            value = self.world.descriptions.get((field, ""), "")
        return {field: value}

    async def set_my_description(self, p: Params, bot_id: int) -> bool:
        """setMyDescription."""
        return self._set_text_setting(p, "description", 512)

    async def get_my_description(self, p: Params, bot_id: int) -> JSONDict:
        """getMyDescription."""
        return self._get_text_setting(p, "description")

    async def set_my_short_description(self, p: Params, bot_id: int) -> bool:
        """setMyShortDescription."""
        return self._set_text_setting(p, "short_description", 120)

    async def get_my_short_description(self, p: Params, bot_id: int) -> JSONDict:
        """getMyShortDescription."""
        return self._get_text_setting(p, "short_description")

    async def set_my_name(self, p: Params, bot_id: int) -> bool:
        """setMyName."""
        return self._set_text_setting(p, "name", 64)

    async def get_my_name(self, p: Params, bot_id: int) -> JSONDict:
        """getMyName."""
        result = self._get_text_setting(p, "name")
        return result if result["name"] else {"name": self.world.bot_first_name}

    async def set_chat_menu_button(self, p: Params, bot_id: int) -> bool:
        """setChatMenuButton (per chat, or the default without chat_id)."""
        chat_id = p.get_int("chat_id")
        if chat_id is not None and chat_id not in self.world.users:
            raise bad_request("chat not found")
        self.world.menu_buttons[chat_id] = p.get_object("menu_button") or {"type": "default"}
        return True

    async def get_chat_menu_button(self, p: Params, bot_id: int) -> JSONDict:
        """getChatMenuButton."""
        chat_id = p.get_int("chat_id")
        button = self.world.menu_buttons.get(chat_id) or self.world.menu_buttons.get(None)
        return button or {"type": "commands"}
