"""Loads, validates and renders the texts in prompts/<lang>/*.yaml."""

from __future__ import annotations

import html
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypeAliasType

DEFAULT_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"

Node = TypeAliasType("Node", "str | list[str] | dict[str, Node]")
_FILE = TypeAdapter(dict[str, Node])


# libyaml's parser reads our own files ten times faster than the pure-Python one: a tenth of
# a start-up. The same safe constructor builds the values either way.
_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """Parse one of our own YAML files (prompts/), with libyaml when it is installed."""
    return yaml.load(text, Loader=_SAFE_LOADER)


class ContentError(Exception):
    """The prompts are incomplete or malformed; the message says where."""


class Raw(str):
    """A value that is already safe HTML and must not be escaped on rendering."""

    __slots__ = ()


def placeholders(text: str) -> frozenset[str]:
    """The names of the {placeholders} in a text."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(text):
        if name is not None:
            if not name or not name.isidentifier():
                raise ValueError(name)
            names.add(name)
    return frozenset(names)


def _flatten(prefix: str, node: Any) -> Iterator[tuple[str, str | tuple[str, ...]]]:
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, list):
        yield prefix, tuple(node)
    else:
        for key, child in node.items():
            yield from _flatten(f"{prefix}.{key}", child)


@dataclass(frozen=True, slots=True, eq=False)
class Content:
    """All texts of all languages, keyed by language and dotted key ("onboarding.ask_tz")."""

    # eq=False: hashed by identity, so renderings can be cached per loaded content.

    texts: Mapping[str, Mapping[str, str | tuple[str, ...]]]
    default_language: str

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages we have texts for."""
        return tuple(self.texts)

    def lang(self, language: str | None) -> str:
        """A language we support: the one asked for, else the default."""
        return (
            language if language is not None and language in self.texts else self.default_language
        )

    def _get(self, language: str | None, key: str) -> str | tuple[str, ...]:
        return self.texts[self.lang(language)][key]

    def text(self, language: str | None, key: str, /, **values: Any) -> str:
        """The text for a key, with placeholders filled in and HTML-escaped unless Raw."""
        template = self._get(language, key)
        if not isinstance(template, str):
            raise TypeError(f"{key} is a list")
        return template.format_map({k: _escape(v) for k, v in values.items()})

    def plural(self, language: str | None, key: str, n: int, /, **values: Any) -> str:
        """The `.one` or `.other` form of a text for the count n, with {n} filled in."""
        return self.text(language, f"{key}.{'one' if n == 1 else 'other'}", n=n, **values)

    def list(self, language: str | None, key: str) -> tuple[str, ...]:
        """A list of texts (button labels, day names, variants)."""
        value = self._get(language, key)
        if isinstance(value, str):
            raise TypeError(f"{key} is a single text")
        return value

    def all_languages(self, key: str) -> tuple[str, ...]:
        """The same single text in every language (e.g. to recognise a menu button)."""
        return tuple(t for lang in self.texts if isinstance(t := self.texts[lang][key], str))


def _escape(value: Any) -> Any:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def _load_language(folder: Path) -> dict[str, str | tuple[str, ...]]:
    texts: dict[str, str | tuple[str, ...]] = {}
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise ContentError(f"{folder}: no .yaml files")
    for path in files:
        try:
            data = _FILE.validate_python(read_yaml(path.read_text(encoding="utf-8")) or {})
        except (yaml.YAMLError, ValidationError) as exc:
            raise ContentError(f"{path}: {exc}") from None
        texts.update(_flatten(path.stem, data))
    return texts


def _check(texts: Mapping[str, Mapping[str, str | tuple[str, ...]]]) -> None:
    langs = list(texts)
    first = langs[0]
    for lang in langs[1:]:
        only_first = sorted(set(texts[first]) - set(texts[lang]))
        only_other = sorted(set(texts[lang]) - set(texts[first]))
        if only_first or only_other:
            raise ContentError(
                f"keys differ between {first} and {lang}: "
                f"only in {first}: {only_first[:10]}, only in {lang}: {only_other[:10]}"
            )
    for key in texts[first]:
        shapes = {lang: _shape(lang, key, texts[lang][key]) for lang in langs}
        if len(set(shapes.values())) > 1:
            raise ContentError(f"{key}: placeholders or kind differ between languages: {shapes}")


def _shape(lang: str, key: str, value: str | tuple[str, ...]) -> tuple[str, frozenset[str]]:
    items: Sequence[str] = (value,) if isinstance(value, str) else value
    found: set[str] = set()
    for item in items:
        if not item.strip():
            raise ContentError(f"{lang}/{key}: empty text")
        try:
            found |= placeholders(item)
        except ValueError:
            raise ContentError(f"{lang}/{key}: bad placeholder in {item!r}") from None
    return ("text" if isinstance(value, str) else "list", frozenset(found))


def load_content(folder: Path = DEFAULT_PROMPTS, default_language: str = "de") -> Content:
    """Load every language folder under prompts/ and check that they match key for key."""
    langs = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    if not langs:
        raise ContentError(f"{folder}: no language folders")
    texts = {p.name: _load_language(p) for p in langs}
    if default_language not in texts:
        raise ContentError(f"{folder}: no texts for the default language {default_language}")
    _check(texts)
    return Content(texts=texts, default_language=default_language)
