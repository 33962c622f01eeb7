"""Telegram's text formatting: HTML / MarkdownV2 / Markdown parsing and entity detection.

The parsers follow tdlib's ``MessageEntity.cpp`` closely so that the sandbox rejects the same
markup with the same error texts as Telegram ("can't parse entities: ..."). Offsets and lengths
are in UTF-16 code units, error positions in UTF-8 bytes, as in the real API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from bot.sandbox.models import JSONDict

# (type, offset, length, argument); argument is a language, URL or emoji id
_Entity = tuple[str, int, int, str]

_PRIORITY: Mapping[str, int] = MappingProxyType(
    {
        "blockquote": 0,
        "expandable_blockquote": 0,
        "precode": 10,
        "pre": 11,
        "code": 20,
        "text_link": 49,
        "bold": 90,
        "italic": 91,
        "underline": 92,
        "strikethrough": 93,
        "spoiler": 94,
        "custom_emoji": 99,
    }
)

_V2_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "bold": "Bold",
        "italic": "Italic",
        "underline": "Underline",
        "strikethrough": "Strikethrough",
        "spoiler": "Spoiler",
        "code": "Code",
        "pre": "Pre",
        "precode": "PreCode",
        "text_link": "TextUrl",
        "custom_emoji": "CustomEmoji",
        "blockquote": "BlockQuote",
    }
)

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_HTML_SIMPLE: Mapping[str, str] = MappingProxyType(
    {
        "b": "bold",
        "strong": "bold",
        "i": "italic",
        "em": "italic",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
    }
)

# tdlib's is_space also stops at the terminating NUL; bounds checks play that role here
_SPACES = frozenset(" \t\r\n\v\f")
_V2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!\n")
_V2_IN_CODE = frozenset("`")


# the only named HTML entities the Bot API understands
_NAMED_ENTITIES: Mapping[str, str] = MappingProxyType(
    {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
)


class EntityParseError(ValueError):
    """Markup that Telegram would reject; str(exc) is tdlib's reason text."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _width(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[JSONDict]]:
    """Parse ``text`` like the Bot API does for ``parse_mode``; raises EntityParseError."""
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        plain, raw = _parse_html(text)
    elif mode == "markdownv2":
        plain, raw = _parse_markdown_v2(text)
    elif mode == "markdown":
        plain, raw = _parse_markdown(text)
    elif mode == "":
        return text, []
    else:
        raise EntityParseError(f"Unsupported parse_mode {parse_mode}")
    return plain, _to_api(raw)


def _to_api(raw: Iterable[_Entity]) -> list[JSONDict]:
    out: list[JSONDict] = []
    for kind, offset, length, argument in sorted(
        raw, key=lambda e: (e[1], -e[2], _PRIORITY.get(e[0], 50))
    ):
        entity: JSONDict = {
            "type": "pre" if kind == "precode" else kind,
            "offset": offset,
            "length": length,
        }
        extra_key = _ARGUMENT_KEYS.get(kind)
        if extra_key:
            entity[extra_key] = argument
        out.append(entity)
    return out


_ARGUMENT_KEYS: Mapping[str, str] = MappingProxyType(
    {"precode": "language", "text_link": "url", "custom_emoji": "custom_emoji_id"}
)


def _decode_html_entity(text: str, pos: int) -> tuple[str, int] | None:
    n = len(text)
    end = pos + 1
    code = 0
    if end < n and text[end] == "#":
        end += 1
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(text[end], 16)
                end += 1
        else:
            while end < n and "0" <= text[end] <= "9":
                code = code * 10 + ord(text[end]) - 48
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None
        code = ord(named)
    if 0xD800 <= code <= 0xDFFF:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    if end < n and text[end] == ";":
        end += 1
    return chr(code), end


def _parse_html(text: str) -> tuple[str, list[_Entity]]:
    n = len(text)
    out: list[str] = []
    entities: list[_Entity] = []
    # (tag, argument, utf16 offset, index into out)
    nested: list[tuple[str, str, int, int]] = []
    utf16 = 0
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                ch, i = decoded
                out.append(ch)
                utf16 += _width(ch)
                continue
        if c != "<":
            out.append(c)
            utf16 += _width(c)
            i += 1
            continue
        begin = i
        i += 1
        if i >= n or text[i] != "/":
            while i < n and text[i] not in _SPACES and text[i] != ">":
                i += 1
            if i >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                )
            argument = ""
            expandable = False
            while text[i] != ">":
                while i < n and text[i] in _SPACES:
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if text[i] == ">":
                    break
                attr_begin = i
                while i < n and text[i] not in _SPACES and text[i] not in "=>":
                    i += 1
                name = text[attr_begin:i]
                if not name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset '
                        f"{_byte_offset(text, begin)}"
                    )
                while i < n and text[i] in _SPACES:
                    i += 1
                if tag == "blockquote" and name == "expandable" and (i >= n or text[i] != "="):
                    # Bot API 7.4 allows a bare `expandable` attribute
                    expandable = True
                    if i >= n:
                        raise EntityParseError(
                            f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                        )
                    continue
                if i >= n or text[i] != "=":
                    raise EntityParseError(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                i += 1
                while i < n and text[i] in _SPACES:
                    i += 1
                if i >= n:
                    raise EntityParseError(
                        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
                    )
                if text[i] not in "'\"":
                    token_begin = i
                    while i < n and ((text[i].isascii() and text[i].isalnum()) or text[i] in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if i < n and text[i] not in _SPACES and text[i] != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = text[i]
                    i += 1
                    chars: list[str] = []
                    while i < n and text[i] != quote:
                        if text[i] == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(text[i])
                        i += 1
                    if i < n:
                        i += 1
                    value = "".join(chars)
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                    )
                if tag == "a" and name == "href":
                    argument = value
                elif tag == "code" and name == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and name == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and name == "expandable":
                    expandable = True
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    'Tag "span" must have class "tg-spoiler" at byte offset '
                    f"{_byte_offset(text, begin)}"
                )
            if tag == "blockquote" and expandable:
                argument = "expandable"
            nested.append((tag, argument, utf16, len(out)))
            i += 1
            continue

        # an end tag
        if not nested:
            raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        while i < n and text[i] not in _SPACES and text[i] != ">":
            i += 1
        end_tag = text[begin + 2 : i].lower()
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n or text[i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        tag, argument, start, out_index = nested[-1]
        if end_tag and end_tag != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{tag}>", found "</{end_tag}>"'
            )
        length = utf16 - start
        if length > 0:
            _close_html_tag(entities, tag, argument, start, length, "".join(out[out_index:]))
        nested.pop()
        i += 1
    if nested:
        raise EntityParseError(f"Can't find end tag corresponding to start tag {nested[-1][0]}")
    cleaned = [(k, o, ln, "" if k == "code" else a) for k, o, ln, a in entities]
    return "".join(out), cleaned


def _close_html_tag(
    entities: list[_Entity], tag: str, argument: str, start: int, length: int, inner: str
) -> None:
    simple = _HTML_SIMPLE.get(tag)
    if simple is not None or (tag == "span" and argument == "spoiler"):
        entities.append((simple or "spoiler", start, length, ""))
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(("custom_emoji", start, length, argument))
    elif tag == "a":
        url = argument or inner
        if url:
            entities.append(("text_link", start, length, url))
    elif tag == "pre":
        last = entities[-1] if entities else None
        if last and last[0] == "code" and last[1:3] == (start, length) and last[3]:
            entities[-1] = ("precode", start, length, last[3])
        else:
            entities.append(("pre", start, length, ""))
    elif tag == "code":
        last = entities[-1] if entities else None
        if last and last[0] == "pre" and last[1:3] == (start, length) and argument:
            entities[-1] = ("precode", start, length, argument)
        else:
            entities.append(("code", start, length, argument))
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
        entities.append((kind, start, length, ""))


def _reserved(ch: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{ch}' is reserved and must be escaped with the preceding '\\'"
    )


def _read_v2_url(text: str, i: int) -> tuple[str, int]:
    n = len(text)
    chars: list[str] = []
    while i < n and text[i] != ")":
        if text[i] == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            chars.append(text[i + 1])
            i += 2
            continue
        chars.append(text[i])
        i += 1
    return "".join(chars), i


def _parse_markdown_v2(text: str) -> tuple[str, list[_Entity]]:
    n = len(text)
    out: list[str] = []
    entities: list[_Entity] = []
    # [type, argument, utf16 offset, char index of the opening mark, index into out]
    nested: list[tuple[str, str, int, int, int]] = []
    have_blockquote = False
    utf16 = 0
    i = 0

    def at(k: int) -> str:
        return text[k] if k < n else ""

    while i < n:
        c = text[i]
        if c == "\\" and 0 < ord(at(i + 1) or "\0") <= 126:
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        top = nested[-1][0] if nested else ""
        reserved = _V2_IN_CODE if top in ("code", "pre", "precode") else _V2_RESERVED
        if c not in reserved:
            out.append(c)
            utf16 += _width(c)
            i += 1
            continue

        is_end = False
        if nested:
            if have_blockquote and c == "\n" and at(i + 1) != ">":
                is_end = True
            elif top == "bold":
                is_end = c == "*"
            elif top == "italic":
                is_end = c == "_" and at(i + 1) != "_"
            elif top == "code":
                is_end = c == "`"
            elif top in ("pre", "precode"):
                is_end = c == "`" and at(i + 1) == "`" and at(i + 2) == "`"
            elif top in ("text_link", "custom_emoji"):
                is_end = c == "]"
            elif top == "underline":
                is_end = c == "_" and at(i + 1) == "_"
            elif top == "strikethrough":
                is_end = c == "~"
            elif top == "spoiler":
                is_end = c == "|" and at(i + 1) == "|"

        if not is_end:
            mark = i
            argument = ""
            kind = ""
            if c == "_":
                if at(i + 1) == "_":
                    kind = "underline"
                    i += 1
                else:
                    kind = "italic"
            elif c == "*":
                kind = "bold"
            elif c == "~":
                kind = "strikethrough"
            elif c == "|":
                if at(i + 1) != "|":
                    raise _reserved(c)
                i += 1
                kind = "spoiler"
            elif c == "[":
                kind = "text_link"
            elif c == "`":
                if at(i + 1) == "`" and at(i + 2) == "`":
                    i += 3
                    kind = "pre"
                    lang_end = i
                    while lang_end < n and text[lang_end] not in _SPACES and text[lang_end] != "`":
                        lang_end += 1
                    if i != lang_end and lang_end < n and text[lang_end] != "`":
                        kind = "precode"
                        argument = text[i:lang_end]
                        i = lang_end
                    if at(i) in ("\n", "\r"):
                        if at(i + 1) in ("\n", "\r") and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    kind = "code"
            elif c == "!":
                if at(i + 1) != "[":
                    raise _reserved(c)
                i += 1
                kind = "custom_emoji"
            elif c == "\n":
                out.append("\n")
                utf16 += 1
                if at(i + 1) == ">":
                    i += 1
                    if not have_blockquote:
                        kind = "blockquote"
                        have_blockquote = True
            elif c == ">":
                if i != 0:
                    raise _reserved(c)
                kind = "blockquote"
                have_blockquote = True
            else:
                raise _reserved(c)
            if kind:
                nested.append((kind, argument, utf16, mark, len(out)))
            i += 1
            continue

        kind, argument, start, mark, out_index = nested[-1]
        if c == "\n" and kind != "blockquote":
            raise EntityParseError(
                f"Can't find end of {_V2_NAMES[kind]} entity at byte offset "
                f"{_byte_offset(text, mark)}"
            )
        skip = utf16 == start
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind in ("pre", "precode"):
            i += 2
        elif kind == "text_link":
            if at(i + 1) != "(":
                url = "".join(out[out_index:])
            else:
                url_begin = i + 2
                url, i = _read_v2_url(text, url_begin)
                if i >= n:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
            if url:
                argument = url
            else:
                skip = True
        elif kind == "custom_emoji":
            if at(i + 1) != "(":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            url_begin = i + 2
            url, i = _read_v2_url(text, url_begin)
            if i >= n:
                raise EntityParseError(
                    "Can't find end of a custom emoji URL at byte offset "
                    f"{_byte_offset(text, url_begin)}"
                )
            emoji_id = url.removeprefix("tg://emoji?id=")
            if emoji_id == url or not emoji_id.isdigit() or int(emoji_id) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            argument = emoji_id
        elif kind == "blockquote":
            have_blockquote = False
            out.append(text[i])
            utf16 += 1
        if not skip:
            entities.append((kind, start, utf16 - start, argument))
        nested.pop()
        i += 1

    if have_blockquote and nested and nested[-1][0] == "blockquote":
        start = nested[-1][2]
        if utf16 != start:
            entities.append(("blockquote", start, utf16 - start, ""))
        nested.pop()
    if nested:
        kind, _, _, mark, _ = nested[-1]
        raise EntityParseError(
            f"Can't find end of {_V2_NAMES[kind]} entity at byte offset {_byte_offset(text, mark)}"
        )
    return "".join(out), entities


def _parse_markdown(text: str) -> tuple[str, list[_Entity]]:
    n = len(text)
    out: list[str] = []
    entities: list[_Entity] = []
    utf16 = 0
    i = 0

    def at(k: int) -> str:
        return text[k] if k < n else ""

    while i < n:
        c = text[i]
        if c == "\\" and at(i + 1) in ("_", "*", "`", "["):
            out.append(text[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            utf16 += _width(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = False
        language = ""
        i += 1
        if c == "`" and at(i) == "`" and at(i + 1) == "`":
            i += 2
            is_pre = True
            lang_end = i
            while lang_end < n and text[lang_end] not in _SPACES and text[lang_end] != "`":
                lang_end += 1
            if i != lang_end and lang_end < n and text[lang_end] != "`":
                language = text[i:lang_end]
                i = lang_end
            if at(i) in ("\n", "\r"):
                if at(i + 1) in ("\n", "\r") and at(i) != at(i + 1):
                    i += 2
                else:
                    i += 1
        start = utf16
        while i < n and (text[i] != end_char or (is_pre and not (at(i + 1) == at(i + 2) == "`"))):
            out.append(text[i])
            utf16 += _width(text[i])
            i += 1
        if i >= n:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        if start != utf16:
            length = utf16 - start
            if c == "_":
                entities.append(("italic", start, length, ""))
            elif c == "*":
                entities.append(("bold", start, length, ""))
            elif c == "[":
                if at(i + 1) != "(":
                    url = text[begin + 1 : i]
                else:
                    i += 2
                    url_chars: list[str] = []
                    while i < n and text[i] != ")":
                        url_chars.append(text[i])
                        i += 1
                    url = "".join(url_chars)
                if url:
                    entities.append(("text_link", start, length, url))
            elif is_pre:
                entities.append(("precode" if language else "pre", start, length, language))
            else:
                entities.append(("code", start, length, ""))
        if is_pre:
            i += 2
        i += 1
    return "".join(out), entities


_TRIM = " \t\r\n"


def trim_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Strip surrounding whitespace and fit entities to it, as Telegram does on send."""
    stripped_left = text.lstrip(_TRIM)
    left = utf16_len(text[: len(text) - len(stripped_left)])
    body = stripped_left.rstrip(_TRIM)
    if not entities or (left == 0 and len(body) == len(stripped_left)):
        return body, entities
    total = utf16_len(body)
    fitted: list[JSONDict] = []
    for entity in entities:
        start = max(int(entity["offset"]) - left, 0)
        end = min(int(entity["offset"]) + int(entity["length"]) - left, total)
        if end > start:
            fitted.append({**entity, "offset": start, "length": end - start})
    return body, fitted


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _is_command_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def find_entities(text: str) -> list[JSONDict]:
    """Entities Telegram detects by itself: bot commands, mentions, hashtags and URLs."""
    if not any(mark in text for mark in "/@#:."):
        return []
    found: list[tuple[int, int, str]] = []
    found.extend(_find_commands(text))
    found.extend(_find_prefixed(text, "@", 2, 32, "mention"))
    found.extend(_find_prefixed(text, "#", 1, 256, "hashtag"))
    found.extend(_find_urls(text))
    found.sort()
    result: list[JSONDict] = []
    last_end = -1
    # Character indexes are converted to UTF-16 once, in order
    for start, end, kind in found:
        if start < last_end:
            continue
        last_end = end
        offset = utf16_len(text[:start])
        result.append({"type": kind, "offset": offset, "length": utf16_len(text[start:end])})
    return result


def _find_commands(text: str) -> Iterable[tuple[int, int, str]]:
    n = len(text)
    pos = text.find("/")
    while pos != -1:
        prev = text[pos - 1] if pos else ""
        i = pos + 1
        if not prev or not (_is_word_char(prev) or prev in "/<>"):
            while i < n and _is_command_char(text[i]):
                i += 1
            size = i - pos - 1
            end = i
            ok = 1 <= size <= 64
            if ok and i < n and text[i] == "@":
                j = i + 1
                while j < n and _is_command_char(text[j]):
                    j += 1
                ok = 3 <= j - i - 1 <= 32
                end = i = j
            nxt = text[end] if end < n else ""
            if ok and not (nxt and (_is_word_char(nxt) or nxt in "/<>")):
                yield pos, end, "bot_command"
        pos = text.find("/", max(i, pos + 1))


def _find_prefixed(
    text: str, mark: str, min_len: int, max_len: int, kind: str
) -> Iterable[tuple[int, int, str]]:
    n = len(text)
    pos = text.find(mark)
    while pos != -1:
        prev = text[pos - 1] if pos else ""
        i = pos + 1
        if not prev or not _is_word_char(prev):
            accept = _is_command_char if kind == "mention" else _is_word_char
            while i < n and accept(text[i]):
                i += 1
            nxt = text[i] if i < n else ""
            if (
                min_len <= i - pos - 1 <= max_len
                and not (nxt and _is_word_char(nxt))
                and (kind != "hashtag" or any(ch.isalpha() for ch in text[pos + 1 : i]))
            ):
                yield pos, i, kind
        pos = text.find(mark, max(i, pos + 1))


_URL_PREFIXES = ("https://", "http://", "www.")
_URL_STOP = frozenset(" \t\r\n<>\"'")


def _find_urls(text: str) -> Iterable[tuple[int, int, str]]:
    lowered = text.lower()
    n = len(text)
    for prefix in _URL_PREFIXES:
        pos = lowered.find(prefix)
        while pos != -1:
            prev = text[pos - 1] if pos else ""
            end = pos + len(prefix)
            while end < n and text[end] not in _URL_STOP:
                end += 1
            # trailing punctuation belongs to the sentence, not the link
            while end > pos + len(prefix) and text[end - 1] in ".,;:!?)]":
                end -= 1
            if end > pos + len(prefix) and not (prev and (_is_word_char(prev) or prev in "/.")):
                yield pos, end, "url"
            pos = lowered.find(prefix, end if end > pos else pos + 1)


def merge_entities(explicit: list[JSONDict], detected: list[JSONDict]) -> list[JSONDict]:
    """Explicit entities plus detected ones that do not overlap them, sorted."""
    if not detected:
        return explicit
    if not explicit:
        return detected
    spans = [(int(e["offset"]), int(e["offset"]) + int(e["length"])) for e in explicit]
    merged = list(explicit)
    for entity in detected:
        start, end = int(entity["offset"]), int(entity["offset"]) + int(entity["length"])
        if all(end <= s or start >= e for s, e in spans):
            merged.append(entity)
    merged.sort(key=lambda e: (int(e["offset"]), -int(e["length"])))
    return merged
