"""Objection playbook entries, and matching what a rep types to the entries that answer it."""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.coach._text import fold

Category = Literal[
    "stall",
    "brush_off",
    "price",
    "status_quo",
    "authority",
    "information",
    "trust",
    "persistence",
]
CATEGORIES: Final[tuple[str, ...]] = get_args(Category)

# Below this score `match` reports nothing: the bot says so and offers the categories instead.
NO_MATCH_BELOW: Final = 42.0
# The best entry may be this much weaker when the text says one of its concepts.
CONCEPT_MATCH_BELOW: Final = 30.0
# A team's own answer wins a tie or near-tie against the built-in playbook.
TEAM_BOOST: Final = 4.0
# Below this score an entry is not offered even as one of the next candidates.
CANDIDATE_FLOOR: Final = 20.0
# Longer texts are cut: an objection fits in a sentence, and this bounds the work per lookup.
MAX_INPUT_CHARS: Final = 300


@dataclass(frozen=True, slots=True)
class Concept:
    """One idea and the many words customers use for it: price ~ teuer, Kohle, kostet, Budget.

    A word is a whole word, the start of one (a stem, or a compound's first part: "preis" in
    "Preisvorstellung") or the end of one ("händler" in "Großhändler"); a group of words
    ("um die ohren") matches in order, "*" stands for up to three words between ("kein * nötig").
    """

    name: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One objection with what it means and how to answer it."""

    id: str
    category: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    meaning: str
    strategy: str
    replies: tuple[str, ...]
    ask_back: str
    avoid: str
    team: bool = False
    # The ideas the objection is made of; entries sharing one are told apart by their words.
    concepts: tuple[Concept, ...] = ()


@dataclass(frozen=True, slots=True)
class Playbook:
    """All entries of one language (the built-in playbook or a team's own)."""

    lang: str
    entries: tuple[Entry, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The entry ids in file order."""
        return tuple(entry.id for entry in self.entries)

    @property
    def categories(self) -> tuple[str, ...]:
        """The categories that have entries, in the canonical order."""
        present = {entry.category for entry in self.entries}
        return tuple(category for category in CATEGORIES if category in present)

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id, if any."""
        return next((entry for entry in self.entries if entry.id == entry_id), None)

    def in_category(self, category: str) -> tuple[Entry, ...]:
        """The entries of one category, in file order."""
        return tuple(entry for entry in self.entries if entry.category == category)


@dataclass(frozen=True, slots=True)
class Match:
    """An entry that fits the text, with a score from 0 to 100."""

    entry: Entry
    score: float


_APOSTROPHES: Final = re.compile(r"['’`´]")
# Spoken German clips "zu" and "Sie" to a letter: "z'teuer", "Lassen S' mir Zeit".
_CLIPPED: Final = re.compile(r"(?i)\b(z|s)['’`´](?=\s|\w|$)")
_CLIPPED_WORDS: Final = {"z": "zu ", "s": "sie "}
_NON_WORD: Final = re.compile(r"[^a-z0-9]+")

# How reps frame the question around the customer's words and greet the bot: "Hallo, was sage
# ich, wenn der Kunde sagt, dass er …", "what do I say when they say they …". One anchored
# pattern, so a pronoun is only dropped when a verb of saying follows ("sie sagt nein" -> "nein",
# but "Sie sind aber hartnäckig" stays whole).
_GREETING: Final = (
    r"(?:(?:hallo|hi|hey|moin|servus|gruezi|hello|guten (?:morgen|tag|abend)"
    r"|good (?:morning|afternoon|evening))\b ?)?"
)
_QUESTION: Final = (
    r"(?:(?:was|wie) (?:sag|sage|antworte|antwort|mach|mache|reagiere|kontere|erwidere)"
    r"(?: ich)?(?: da| denn| am besten)*(?: wenn| bei| auf| darauf)?\b ?"
    r"|wie (?:gehe|geh) ich (?:damit )?um(?: mit)?(?: wenn)?\b ?"
    r"|(?:what|how) (?:do|should|can|would) (?:i|we|you) (?:say|answer|reply|respond|handle"
    r"|react|do|tell)(?: to| when| if| with)?\b ?"
    r"|(?:how|what) to (?:say|answer|reply|respond|handle|react)(?: to| when| if)?\b ?)?"
)
_SPEAKER: Final = (
    r"(?:(?:der |die |mein |meine |ein |eine |unser |unsere |the |my |a |our )?"
    r"(?:kunde|kundin|interessent|interessentin|einkaeufer|einkaeuferin|customer|client"
    r"|prospect|buyer|er|sie|man|he|she|they|guy) "
    r"(?:(?:hat|hatte|has|had) (?:\w+ ){0,2})?"
    r"(?:sagt|sagte|gesagt|meint|meinte|gemeint|behauptet|antwortet|antwortete|schreibt|sagen"
    r"|meinen|says|said|say|tells me|told me|keeps saying|goes|replied|answered|replies"
    r"|writes)(?: immer| dann| mir| zu mir| am telefon| direkt| gleich| always| then| to me"
    r"| on the phone)*\b ?(?:(?:dass|das|that)\b ?)?(?:(?:er|sie|es|he|she|they|it)\b ?)?"
    r"|(?:der |die |the |my )?(?:kunde|kundin|customer|client|prospect) )?"
)
# Spoken, dialect and chat spellings (already folded) mapped to one standard word, so "ham scho
# nen" meets "haben schon einen" and "null zeit" meets "keine zeit". Applied to playbook and
# text alike.
_VARIANTS: Final = {
    **dict.fromkeys(("keine", "keinen", "keiner", "keinem", "keines", "null"), "kein"),
    **dict.fromkeys(("nix", "nischt", "nuescht"), "nichts"),
    **dict.fromkeys(("nich", "net", "nit", "ned"), "nicht"),
    **dict.fromkeys(("nee", "noe"), "nein"),
    **dict.fromkeys(("ne",), "eine"),
    **dict.fromkeys(("ham", "hamm", "hend", "habn"), "haben"),
    **dict.fromkeys(("scho", "schoo"), "schon"),
    **dict.fromkeys(("mer", "wa"), "wir"),
    **dict.fromkeys(("des", "dat"), "das"),
    **dict.fromkeys(("wat",), "was"),
    **dict.fromkeys(("isch",), "ist"),
    **dict.fromkeys(("nen", "nem", "oin", "oan"), "einen"),
    **dict.fromkeys(("grad", "grade"), "gerade"),
    **dict.fromkeys(("nochmal", "nomma", "nochmals"), "noch mal"),
    **dict.fromkeys(("selber",), "selbst"),
    **dict.fromkeys(("koa", "koan", "koane"), "kein"),
    **dict.fromkeys(("hob", "hab"), "habe"),
    **dict.fromkeys(("san", "sans"), "sind"),
    **dict.fromkeys(("heut",), "heute"),
    **dict.fromkeys(("nomal", "nomoi", "amoi", "oamoi"), "noch mal"),
    **dict.fromkeys(("ruah",), "ruhe"),
    **dict.fromkeys(("spoeter", "spaeda", "spaeter"), "spaeter"),
    **dict.fromkeys(("bissl", "bisserl", "bissel"), "bisschen"),
    **dict.fromkeys(("mi",), "mich"),
    **dict.fromkeys(("ma",), "mir"),
    # Swiss and Austrian German, and Berlin's.
    **dict.fromkeys(("choend", "koent", "chasch"), "koennen"),
    **dict.fromkeys(("noed", "noet"), "nicht"),
    **dict.fromkeys(("nuet", "nuess"), "nichts"),
    **dict.fromkeys(("oeppis", "eppes"), "etwas"),
    **dict.fromkeys(("wos",), "was"),
    **dict.fromkeys(("haet",), "hat"),
    **dict.fromkeys(("haend", "han"), "haben"),
    **dict.fromkeys(("gits", "gibts"), "gibt es"),
    **dict.fromkeys(("aaluete", "aalueuete", "luete", "lueuete", "aruefe", "arufe"), "anrufen"),
    **dict.fromkeys(("offerte",), "angebot"),
    **dict.fromkeys(("offerten",), "angebote"),
    **dict.fromkeys(("heuer",), "dieses jahr"),
    **dict.fromkeys(("jaenner",), "januar"),
    **dict.fromkeys(("ois",), "alles"),
    **dict.fromkeys(("hoit",), "halt"),
    **dict.fromkeys(("hamma",), "haben wir"),
    **dict.fromkeys(("samma",), "sind wir"),
    **dict.fromkeys(("hamse",), "haben sie"),
    **dict.fromkeys(("ick",), "ich"),
    **dict.fromkeys(("jetze",), "jetzt"),
    **dict.fromkeys(("kunnt",), "kommt"),
    **dict.fromkeys(("dua", "duan", "doa"), "tun"),
    **dict.fromkeys(("wia",), "wie"),
    **dict.fromkeys(("guad", "guat", "guet"), "gut"),
    **dict.fromkeys(("guadn", "guatn", "guete"), "guten"),
    **dict.fromkeys(("schaun", "schauns"), "schauen"),
    **dict.fromkeys(("nah", "nope", "naw", "nay"), "no"),
    **dict.fromkeys(("zero", "none"), "no"),
    **dict.fromkeys(("u", "ya"), "you"),
    **dict.fromkeys(("ur",), "your"),
    **dict.fromkeys(("abt",), "about"),
    **dict.fromkeys(("thx", "ty"), "thanks"),
    **dict.fromkeys(("gotta",), "have to"),
    **dict.fromkeys(("wanna",), "want to"),
    **dict.fromkeys(("gonna",), "going to"),
    **dict.fromkeys(("rn",), "right now"),
    **dict.fromkeys(("cant",), "can not"),
    **dict.fromkeys(("dont", "doesnt", "didnt"), "do not"),
    **dict.fromkeys(("wont",), "will not"),
    **dict.fromkeys(("isnt", "arent", "wasnt"), "is not"),
    **dict.fromkeys(("havent", "hasnt"), "have not"),
    **dict.fromkeys(("aint",), "is not"),
    **dict.fromkeys(("kinda",), "kind of"),
    **dict.fromkeys(("dunno",), "do not know"),
    **dict.fromkeys(("lemme",), "let me"),
    **dict.fromkeys(("gimme",), "give me"),
    **dict.fromkeys(("cuz", "cos", "coz", "bc"), "because"),
    **dict.fromkeys(("thru",), "through"),
    **dict.fromkeys(("pls", "plz"), "please"),
    **dict.fromkeys(("yall",), "you"),
    **dict.fromkeys(("convo",), "conversation"),
}
_FRAME: Final = re.compile(f"^{_GREETING}{_QUESTION}{_SPEAKER}")
_TRAILING_FRAME: Final = re.compile(
    r" (?:sagt|meint|sagte|meinte|says|said)(?: der| die| mein| meine| the| my)?"
    r"(?: kunde| kundin| customer| client| prospect| er| sie| he| she| they)?$"
)


# Bavarian and Austrian speech drops the "e" of "ge-" and "-en": "gsagt", "überlegn", "ruafn".
_CLIPPED_GE: Final = re.compile(r"^g(?=[bdfhkmpstwz][aeiouy])")
_CLIPPED_EN: Final = re.compile(r"(?<=[a-z][bdfgkpstz])n$")
_MIN_CLIPPED_WORD: Final = 5


def _standard(word: str) -> str:
    """A spoken or dialect spelling as the standard word, where it is one we know."""
    if word in _VARIANTS:
        return _VARIANTS[word]
    if len(word) >= _MIN_CLIPPED_WORD:
        word = _CLIPPED_EN.sub("en", _CLIPPED_GE.sub("ge", word))
    return word


def normalize(text: str, *, frames: bool = True) -> str:
    """Fold a text down to lower-case ASCII words; by default without the question's frame."""
    text = _CLIPPED.sub(lambda m: _CLIPPED_WORDS[m.group(1).casefold()], text[:MAX_INPUT_CHARS])
    folded = fold(_APOSTROPHES.sub("", text))
    words = " ".join(_standard(word) for word in _NON_WORD.sub(" ", folded).split())
    if frames:
        words = _FRAME.sub("", _TRAILING_FRAME.sub("", words), count=1).strip()
    return words


# Words that carry no objection on their own: articles, pronouns, auxiliaries, intensifiers,
# courtesy. Negations ("nicht", "kein", "no", "not") are missing on purpose: they carry one.
_FILLER_DE: Final = """
    der die das den dem des ein eine einen einem einer eines nen nem und oder aber doch ja mal
    halt eben nun so also denn dann da auch eh ich wir sie er es du ihr mir mich uns ihnen ihm
    sich mein meine meinen unser unsere ihre ihren euch ist sind bin bist war waere hat haben
    habe hab hatte hatten wird werden wuerde zu fuer mit von vom bei beim auf an in im am um
    aus ueber gerade jetzt momentan aktuell bitte danke dank hallo hi hey ok okay gut super
    toll klar echt wirklich einfach eigentlich ganz schoen sehr total voll richtig mega alles
    tschuess boah oh je oje ojeh naja tja hm hmm ach ey mensch gruezi servus moin sorry
"""
_FILLER_EN: Final = """
    the a an and or but so just well also then there here i we you he she it they me us him
    them my our your their is are am was were be been being have has had do does did to for
    with of at on in from by about as that this these those if can could would should will
    shall im ive weve youre youve youll thats its theres ill id hes shes theyre theyve theyll
    wed hello thanks thank please good great sure yes yeah yep really actually very pretty
    quite totally too um uh oh now currently all bye ciao cheers guys wow ugh meh hmm well
    mate buddy folks sorry
"""
_FILLER: Final = frozenset(_FILLER_DE.split()) | frozenset(_FILLER_EN.split())
# The small words only one language has ("ich", "the"; not "in", "so", nor the "ok" and "hi"
# Germans say too): they tell which language a customer spoke.
_OWN_SMALL_WORDS: Final = {
    "de": frozenset(_FILLER_DE.split()) - frozenset(_FILLER_EN.split()) - {"hi", "hey", "ok"},
    "en": frozenset(_FILLER_EN.split()) - frozenset(_FILLER_DE.split()),
}

# The score of an entry, 0-100, is
#   sure * (COVER * cover + PHRASING * phrasing) + KEYWORD * keyword, then blended with
#   RERANK * the whole-phrase similarity of its best phrasing.
# cover: how much of the text's weight (inverse document frequency) the entry explains;
# phrasing: weighted Dice overlap with its best phrasing; keyword: a curated keyword is in the
# text (0.5 for one word, 1 for a word group); sure: whether the evidence is heavy enough (one
# keyword is, one ordinary word is not) or a phrasing is there as a whole. Weights and threshold
# were chosen on tests/data/objection_phrasings.yaml; bench/lookup.py prints the accuracy.
_COVER_WEIGHT: Final = 0.5
_PHRASING_WEIGHT: Final = 0.25
_KEYWORD_WEIGHT: Final = 0.25
_RERANK_WEIGHT: Final = 0.15
# What a one-word keyword is worth against a word group (1.0).
_ONE_WORD_KEYWORD: Final = 0.5
_RERANK_CANDIDATES: Final = 10
_CANDIDATES: Final = 40
# Evidence is fully sure from this weight on, in units of the rarest word's weight; a word that
# is a one-word keyword of the entry weighs _KEYWORD_FACTOR times.
_FULL_STRENGTH: Final = 1.5
_KEYWORD_FACTOR: Final = 2.0
# What a filler word and a word the playbook doesn't know weigh in the text (the latter as a
# share of the rarest word's weight): unknown words are what the entry fails to explain.
_FILLER_IDF: Final = 0.15
_UNKNOWN_IDF_SHARE: Final = 0.5
# Word matching: keyword stems ("nachdenk") match word starts, words sharing a long prefix are
# relatives ("interessiert" ~ "interesse"), inflections share a stem ("sagte" ~ "gesagt"),
# compounds end in a known word ("Wirtschaftslage" ~ "lage"), and a near spelling of a word of
# five letters or more is a typo ("konkurenz"). A word of four letters is a typo only of a word
# one keystroke away (a letter missing, extra, wrong or swapped: "teur", "tuer" ~ "teuer") that
# also ends like it; shorter words are too easily someone else's word.
_MIN_STEM: Final = 3
_STEM_SIM: Final = 0.95
_MIN_SHARED_PREFIX: Final = 5
_SHARED_PREFIX_SHARE: Final = 0.6
_INFLECTION_SIM: Final = 0.9
_MIN_COMPOUND_PART: Final = 4
_COMPOUND_SIM: Final = 0.8
_MIN_TYPO_WORD: Final = 5
_MIN_SHORT_TYPO_WORD: Final = 4
_SHORT_TYPO_SIM: Final = 0.8
_TYPO_CUTOFF: Final = 80.0
_TYPO_SIM: Final = 0.9
_SURE_SIM: Final = 0.9
# A keyword's word counts as present from this similarity on.
_KEYWORD_SIM: Final = 0.75
# A word of a concept's lexicon stands for the concept this surely; its start or end matches
# from this length on (shorter ones only whole: "geld" ~ "Geldfrage", but "zeit" stays "zeit").
_CONCEPT_SIM: Final = 0.95
_SPECIFIC_CONCEPT: Final = 2
_MIN_CONCEPT_PART: Final = 4
_MIN_COMPOUND_HEAD: Final = 3
_CONCEPT_GAP: Final = 3
# Bounds the work per lookup whatever the rep pastes.
_MAX_WORDS: Final = 30
_MAX_TYPO_LOOKUPS: Final = 10
# Inflection endings, longest first. "er" is missing on purpose: "später" is not "spät".
_SUFFIXES: Final = (
    "ungen", "ung", "ing", "est", "ten", "te", "en", "es", "em", "ed", "st", "ly", "e", "n",
    "s", "t",
)  # fmt: skip
_MIN_STEM_LENGTH: Final = 4

_NOTHING: Final = (0.0, "")


def _stem(word: str) -> str:
    """A crude stem so inflected forms meet ("sagte" ~ "gesagt", "budgeted" ~ "budget")."""
    if word.startswith("ge") and len(word) >= 6:
        word = word[2:]
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM_LENGTH:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def _word_fits(word: str, token: str) -> bool:
    """A concept group's word is the token, or (four letters or more) its start."""
    return token == word or (len(word) >= _MIN_CONCEPT_PART and token.startswith(word))


def _group_end(words: tuple[str, ...], tokens: list[str], at: int) -> int | None:
    """Where a concept's word group starting at token `at` ends (exclusive), if it is there;
    "*" is a gap of up to _CONCEPT_GAP words."""
    if not words:
        return at
    if words[0] == "*":
        for skip in range(_CONCEPT_GAP + 1):
            end = _group_end(words[1:], tokens, at + skip)
            if end is not None:
                return end
        return None
    if at < len(tokens) and _word_fits(words[0], tokens[at]):
        return _group_end(words[1:], tokens, at + 1)
    return None


@dataclass(frozen=True, slots=True)
class _Phrasing:
    terms: tuple[int, ...]
    weight: float


@dataclass(frozen=True, slots=True)
class _Keyword:
    terms: tuple[int, ...]
    fillers: tuple[str, ...]


class Matcher:
    """Finds the playbook entries that answer what a rep typed; build once, match often."""

    def __init__(self, entries: Sequence[Entry], team_entries: Sequence[Entry] = ()) -> None:
        """Index phrasings and keywords: folded words, stems, prefixes, inverse frequencies."""
        self._entries: tuple[Entry, ...] = (*team_entries, *entries)
        self._team_count = len(team_entries)
        self._term_ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._term_entries: list[set[int]] = []
        self._stems: set[int] = set()
        self._one_word_keywords: list[set[int]] = [set() for _ in self._entries]
        self._keywords: list[list[_Keyword]] = [[] for _ in self._entries]
        raw: list[tuple[int, list[int]]] = []
        for index, entry in enumerate(self._entries):
            for phrasing in entry.phrasings:
                words = normalize(phrasing, frames=False).split()
                raw.append((index, [self._term(w, index) for w in words if w not in _FILLER]))
            for keyword in entry.keywords:
                stems = normalize(keyword, frames=False).split()
                content = tuple(self._term(s, index) for s in stems if s not in _FILLER)
                if not content:
                    continue
                self._stems.update(content)
                if len(stems) == 1:
                    self._one_word_keywords[index].update(content)
                fillers = tuple(s for s in stems if s in _FILLER)
                self._keywords[index].append(_Keyword(content, fillers))
        self._concept_terms: set[int] = set()
        concept_words: dict[str, set[int]] = defaultdict(set)
        concept_parts: dict[str, set[int]] = defaultdict(set)
        phrases: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(self._entries):
            for concept in entry.concepts:
                # A concept is a term of its own, shared by the entries made of it, and worth
                # as much to each as a one-word keyword.
                term_id = self._term("~" + concept.name, index)
                self._concept_terms.add(term_id)
                self._one_word_keywords[index].add(term_id)
                self._keywords[index].append(_Keyword((term_id,), ()))
                for item in concept.words:
                    words = [
                        "*" if w == "*" else normalize(w, frames=False)
                        for w in item.replace("*", " * ").split()
                    ]
                    words = [w for w in words if w]
                    if len(words) == 1 and words[0] != "*":
                        concept_words[words[0]].add(term_id)
                        if len(words[0]) >= _MIN_CONCEPT_PART:
                            concept_parts[words[0]].add(term_id)
                    elif words:
                        phrases[" ".join(words)].add(term_id)
        # Tuples take a quarter of a set's memory, and the lexicons have a thousand words.
        self._concept_words = {word: tuple(ids) for word, ids in concept_words.items()}
        self._concept_parts = {word: tuple(ids) for word, ids in concept_parts.items()}
        # Word groups by their first word, so a lookup tries only those the text can start.
        groups: dict[str, list[tuple[tuple[str, ...], tuple[int, ...]]]] = defaultdict(list)
        for group, ids in phrases.items():
            group_words = tuple(group.split())
            groups[group_words[0]].append((group_words, tuple(ids)))
        self._concept_groups = {first: tuple(found) for first, found in groups.items()}
        rarest = math.log(1 + max(len(self._entries), 1))
        self._idf = [math.log(1 + len(self._entries) / len(e)) for e in self._term_entries]
        self._unknown_idf = _UNKNOWN_IDF_SHARE * rarest
        self._number_idf = rarest
        self._full_strength = _FULL_STRENGTH * rarest
        self._phrasings: list[list[_Phrasing]] = [[] for _ in self._entries]
        self._phrasing_texts: list[list[str]] = [[] for _ in self._entries]
        for index, terms in raw:
            unique = tuple(dict.fromkeys(terms))
            if unique:
                weight = sum(self._idf[t] for t in unique)
                self._phrasings[index].append(_Phrasing(unique, weight))
                self._phrasing_texts[index].append(" ".join(self._terms[t] for t in unique))
        # Which phrasings and keywords a term occurs in, so a lookup scores only those the text
        # touches (a keyword needs all its terms, so its first one is enough to find it).
        self._term_phrasings: list[list[tuple[int, _Phrasing]]] = [[] for _ in self._terms]
        self._term_keywords: list[list[tuple[int, _Keyword]]] = [[] for _ in self._terms]
        for index, phrasings in enumerate(self._phrasings):
            for known in phrasings:
                for term_id in known.terms:
                    self._term_phrasings[term_id].append((index, known))
        for index, keywords in enumerate(self._keywords):
            for known_keyword in keywords:
                self._term_keywords[known_keyword.terms[0]].append((index, known_keyword))
        self._prefixes: dict[str, list[int]] = defaultdict(list)
        self._by_stem: dict[str, list[int]] = defaultdict(list)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for term_id, term in enumerate(self._terms):
            for length in range(_MIN_SHARED_PREFIX, len(term) + 1):
                self._prefixes[term[:length]].append(term_id)
            self._by_stem[_stem(term)].append(term_id)
            # Typos are looked up among words with the same first letter: people rarely miss
            # the first one, and it keeps the lookup cheap with hundreds of entries.
            self._by_initial[term[0]].append(term)

    def _term(self, word: str, entry: int) -> int:
        term_id = self._term_ids.get(word)
        if term_id is None:
            term_id = self._term_ids[word] = len(self._terms)
            self._terms.append(word)
            self._term_entries.append(set())
        self._term_entries[term_id].add(entry)
        return term_id

    def match(self, text: str, limit: int = 3) -> list[Match]:
        """The best entries for a text, best first; [] when the best is below NO_MATCH_BELOW."""
        if limit <= 0:
            return []
        tokens = normalize(text).split()[:_MAX_WORDS]
        if not tokens:
            return []
        scores, conceived = self._scores(tokens)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        result: list[Match] = []
        seen: set[str] = set()
        for index, score in ranked:
            # The best must be convincing; the runners-up only plausible (they become buttons).
            # An entry whose idea the text says in other words needs less ("Laufzeit bis 2027").
            best_floor = CONCEPT_MATCH_BELOW if index in conceived else NO_MATCH_BELOW
            floor = CANDIDATE_FLOOR if result else best_floor
            if score < floor or len(result) == limit:
                break
            entry = self._entries[index]
            # A team entry may reuse a built-in id to replace it; only the better one is shown.
            if entry.id not in seen:
                seen.add(entry.id)
                result.append(Match(entry, round(score, 1)))
        return result

    def _scores(self, tokens: list[str]) -> tuple[dict[int, float], set[int]]:
        """Score every entry the text has any evidence for; and the entries whose concepts the
        text says."""
        matched, text_weight = self._read(tokens)
        if not matched:
            return {}, set()
        # Only a concept few entries share is specific enough to lower the bar ("anrufen" is
        # said in four objections).
        conceived = {
            entry
            for term_id in matched.keys() & self._concept_terms
            if len(self._term_entries[term_id]) <= _SPECIFIC_CONCEPT
            for entry in self._term_entries[term_id]
        }
        # Each word of the text counts once per entry, with its best term there, both plainly
        # and as strength, where a one-word keyword counts more than an ordinary word.
        best: dict[tuple[int, str], tuple[float, float]] = {}
        for term_id, (sim, word) in matched.items():
            value = sim * self._idf[term_id]
            for entry in self._term_entries[term_id]:
                factor = _KEYWORD_FACTOR if term_id in self._one_word_keywords[entry] else 1.0
                plain, strong = best.get((entry, word), (0.0, 0.0))
                best[entry, word] = (max(plain, value), max(strong, value * factor))
        evidence: dict[int, float] = defaultdict(float)
        strength: dict[int, float] = defaultdict(float)
        for (entry, _), (plain, strong) in best.items():
            evidence[entry] += plain
            strength[entry] += strong
        words = set(tokens)
        content_weight = text_weight - _FILLER_IDF * len(words & _FILLER)
        scores: dict[int, float] = {}
        # A common word gives some evidence to hundreds of entries; only the strongest can win,
        # so only they are scored in full (this keeps a lookup fast with a big playbook).
        leaders = heapq.nlargest(_CANDIDATES, strength, key=strength.__getitem__)
        touched: dict[int, dict[int, _Phrasing]] = {entry: {} for entry in leaders}
        keywords: dict[int, list[_Keyword]] = {entry: [] for entry in leaders}
        for term_id in matched:
            for entry, known in self._term_phrasings[term_id]:
                if entry in touched:
                    touched[entry][id(known)] = known
            for entry, found in self._term_keywords[term_id]:
                if entry in keywords:
                    keywords[entry].append(found)
        for entry in leaders:
            plain = evidence[entry]
            phrasing = whole = 0.0
            for known in touched[entry].values():
                shared = sum(matched.get(t, _NOTHING)[0] * self._idf[t] for t in known.terms)
                phrasing = max(phrasing, 2 * shared / (known.weight + content_weight))
                present = sum(matched.get(t, _NOTHING)[0] for t in known.terms)
                whole = max(whole, present / len(known.terms))
            sure = min(1.0, max(strength[entry] / self._full_strength, whole))
            keyword = max(
                (
                    1.0 if len(k.terms) + len(k.fillers) > 1 else _ONE_WORD_KEYWORD
                    for k in keywords[entry]
                    if all(matched.get(t, _NOTHING)[0] >= _KEYWORD_SIM for t in k.terms)
                    and words.issuperset(k.fillers)
                ),
                default=0.0,
            )
            cover = min(1.0, plain / text_weight)
            scores[entry] = 100 * (
                sure * (_COVER_WEIGHT * cover + _PHRASING_WEIGHT * phrasing)
                + _KEYWORD_WEIGHT * keyword
            )
        self._rerank(" ".join(t for t in tokens if t not in _FILLER), scores)
        for entry in range(self._team_count):
            if entry in scores:
                scores[entry] = min(100.0, scores[entry] + TEAM_BOOST)
        return scores, conceived

    def _concepts_of(self, tokens: list[str]) -> dict[str, set[int]]:
        """The concepts the text's words and word groups stand for, by the word that says it."""
        found: dict[str, set[int]] = defaultdict(set)
        for at, token in enumerate(tokens):
            for length in range(1, len(token) + 1):
                if length < len(token) and length < _MIN_CONCEPT_PART:
                    continue
                for words, said in self._concept_groups.get(token[:length], ()):
                    end = _group_end(words, tokens, at)
                    if end is None:
                        continue
                    # The concept is said by the group's first word that is more than filler.
                    group = tokens[at:end]
                    word = next((w for w in group if w not in _FILLER), "~" + group[0])
                    found[word].update(said)
        for token in dict.fromkeys(tokens):
            if token in _FILLER:
                continue
            # A whole word says more than a part of it: "Laufzeit" is a contract, not "Zeit".
            ids = set(self._concept_words.get(token, ()))
            ids.update(self._concept_words.get(_stem(token), ()))
            if not ids:
                for length in range(_MIN_CONCEPT_PART, len(token)):
                    ids.update(self._concept_parts.get(token[:length], ()))
                for start in range(_MIN_COMPOUND_HEAD, len(token) - _MIN_CONCEPT_PART + 1):
                    ids.update(self._concept_parts.get(token[start:], ()))
            if ids:
                found[token].update(ids)
        return found

    def _read(self, tokens: list[str]) -> tuple[dict[int, tuple[float, str]], float]:
        """Known terms in the text (similarity, and the word that found it), and its weight."""
        matched: dict[int, tuple[float, str]] = {}
        total = 0.0
        typo_budget = _MAX_TYPO_LOOKUPS
        concepts = self._concepts_of(tokens)
        for word in concepts:
            if word.startswith("~"):
                # A group of filler words only ("all set"): the concept is its whole weight.
                total += max(self._idf[t] for t in concepts[word])
                for term_id in concepts[word]:
                    matched[term_id] = (_CONCEPT_SIM, word)
        for token in dict.fromkeys(tokens):
            if token in _FILLER and token not in concepts:
                total += _FILLER_IDF
                continue
            sims = {} if token in _FILLER else self._lookup(token, typos=typo_budget > 0)
            for term_id in concepts.get(token, ()):
                sims[term_id] = max(sims.get(term_id, 0.0), _CONCEPT_SIM)
            if len(token) >= _MIN_SHORT_TYPO_WORD and max(sims.values(), default=0.0) < _SURE_SIM:
                typo_budget -= 1
            if not sims:
                # A bare number the playbook doesn't know is a fact ("12 Anrufe 3 Termine"),
                # never the objection itself, so it weighs like the most specific word.
                total += self._number_idf if token.isdigit() else self._unknown_idf
                continue
            # A concept explains a known word, it does not make it weigh more; an otherwise
            # unknown word ("Kohle") weighs what its concept does.
            plain = [self._idf[t] for t in sims if t not in self._concept_terms]
            total += max(plain or [self._idf[t] for t in sims])
            for term_id, sim in sims.items():
                if sim > matched.get(term_id, _NOTHING)[0]:
                    matched[term_id] = (sim, token)
        return matched, total

    def _rerank(self, words: str, scores: dict[int, float]) -> None:
        """Blend in, for the leading candidates, whole-phrase similarity to a phrasing."""
        if not words:
            return
        leaders = sorted(scores, key=lambda entry: -scores[entry])[:_RERANK_CANDIDATES]
        for entry in leaders:
            hit = process.extractOne(words, self._phrasing_texts[entry], scorer=fuzz.WRatio)
            if hit is not None:
                scores[entry] = (1 - _RERANK_WEIGHT) * scores[entry] + _RERANK_WEIGHT * hit[1]

    def _lookup(self, word: str, *, typos: bool) -> dict[int, float]:
        """Known terms this word stands for, with how sure we are (exact 1.0 down to typo)."""
        sims: dict[int, float] = {}
        exact = self._term_ids.get(word)
        if exact is not None:
            sims[exact] = 1.0
        for length in range(_MIN_STEM, len(word)):
            stem = self._term_ids.get(word[:length])
            if stem is not None and stem in self._stems:
                sims[stem] = max(sims.get(stem, 0.0), _STEM_SIM)
        for length in range(len(word), _MIN_SHARED_PREFIX - 1, -1):
            for term_id in self._prefixes.get(word[:length], ()):
                longest = max(len(word), len(self._terms[term_id]))
                if term_id not in sims and length >= _SHARED_PREFIX_SHARE * longest:
                    sims[term_id] = length / longest
        for term_id in self._by_stem.get(_stem(word), ()):
            sims[term_id] = max(sims.get(term_id, 0.0), _INFLECTION_SIM)
        for start in range(3, len(word) - _MIN_COMPOUND_PART + 1):
            part = self._term_ids.get(word[start:])
            if part is not None and part not in sims:
                sims[part] = _COMPOUND_SIM
        if typos and len(word) >= _MIN_TYPO_WORD and max(sims.values(), default=0.0) < _SURE_SIM:
            for term, score, _ in process.extract(
                word,
                self._by_initial.get(word[0], ()),
                scorer=fuzz.ratio,
                score_cutoff=_TYPO_CUTOFF,
                limit=3,
            ):
                # A shorter or longer form of the word is no typo; the prefix rules judge it.
                if term.startswith(word) or word.startswith(term):
                    continue
                term_id = self._term_ids[term]
                sims[term_id] = max(sims.get(term_id, 0.0), _TYPO_SIM * score / 100)
        elif typos and len(word) == _MIN_SHORT_TYPO_WORD and not sims:
            for term in self._by_initial.get(word[0], ()):
                if (
                    len(term) <= len(word) + 1
                    and term[-1] == word[-1]
                    and DamerauLevenshtein.distance(word, term, score_cutoff=1) <= 1
                ):
                    term_id = self._term_ids[term]
                    sims[term_id] = max(sims.get(term_id, 0.0), _SHORT_TYPO_SIM)
        return sims


# Another language's playbook answers instead of the rep's own only when it fits clearly better:
# loanwords ("Budget", "Feedback") give the wrong language a near tie.
CROSS_LANGUAGE_MARGIN: Final = 8.0


@dataclass(frozen=True, slots=True)
class Found:
    """The matches for a text and the language of the playbook they come from."""

    lang: str
    matches: list[Match]


def match_languages(
    matchers: Mapping[str, Matcher], text: str, prefer: str, limit: int = 3
) -> Found:
    """Look a text up in every language's playbook; the rep's own wins unless another fits
    clearly better (a German customer's words from a rep with an English profile)."""
    own = matchers.get(prefer)
    best = Found(prefer, own.match(text, limit) if own is not None else [])
    top = best.matches[0].score if best.matches else 0.0
    words = set(normalize(text).split())
    spoken = {lang: len(words & small) for lang, small in _OWN_SMALL_WORDS.items()}
    for lang, matcher in matchers.items():
        if lang == prefer:
            continue
        other = matcher.match(text, limit)
        if not other:
            continue
        margin = CROSS_LANGUAGE_MARGIN if best.matches else 0.0
        if spoken.get(lang, 0) and not spoken.get(prefer, 0):
            # Only the other language's small words: it is that language on a near tie too.
            margin = -CROSS_LANGUAGE_MARGIN
        if other[0].score > top + margin:
            best, top = Found(lang, other), other[0].score
    return best
