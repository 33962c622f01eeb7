"""Small call-simulation scenarios and cue lists built in the tests (not the real content)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from bot.coach.roleplay import Cues, Scenario, parse_cues, parse_scenario
from bot.playbook import load_pitch_rubrics, load_rubrics

KNOWN = frozenset({"no_need", "no_time", "think_about_it", "persistent"})
OBJECTION_LINES = {
    "no_need": "Wir brauchen so was nicht.",
    "no_time": "Ich habe gerade wirklich keine Zeit.",
}

CUES: dict[str, dict[str, list[str]]] = {
    "de": {
        "reason_for_call": ["weil", "grund", "anlass", "rufe an wegen", "ich rufe an"],
        "open_question": ["wie", "was", "welche*", "woran", "wann", "wer", "warum", "wieso"],
        "customer_value": ["spart", "sparen", "weniger", "schneller", "nutzen"],
        "next_step_date": [
            "montag",
            "dienstag",
            "donnerstag",
            "morgen",
            "nächste woche",
            "um #",
            "# uhr",
        ],
        "ok_next_contact": ["darf ich mich ... melden", "ist es in ordnung, wenn ich ... anrufe"],
        "no_unwanted_question": ["haben sie noch fragen", "sind sie interessiert"],
        "referral_ask": ["wer fällt ihnen ein", "kennen sie jemanden", "empfehlung"],
        "empathy": ["tut mir leid", "ärgerlich", "verstehe, dass"],
        "creative_channel": ["vorbeikommen", "kaffee", "brief", "spaziergang"],
    },
    "en": {
        "reason_for_call": ["because", "the reason", "i'm calling about"],
        "open_question": ["what", "how", "which", "when", "who", "why"],
        "customer_value": ["save*", "faster", "less", "benefit"],
        "next_step_date": [
            "monday",
            "thursday",
            "tomorrow",
            "next week",
            "morning",
            "at #",
            "# pm",
        ],
        "ok_next_contact": ["may i call you", "is it ok if i ... call"],
        "no_unwanted_question": ["any questions", "are you interested", "is that ok"],
        "referral_ask": ["who else", "recommend", "refer"],
        "empathy": ["i'm sorry", "that's frustrating"],
        "creative_channel": ["visit", "coffee", "letter", "walk"],
    },
}


def scenario_data(lang: str = "de") -> dict[str, Any]:
    """A three-phase cold call: opening, an objection, the close."""
    de = lang == "de"
    return {
        "id": "cold_call",
        "seed": "001",
        "title": "Kaltakquise" if de else "Cold call",
        "summary": "Termin beim Chef." if de else "An appointment with the boss.",
        "persona": {
            "name": "Sabine Berger",
            "role": "Geschäftsführerin" if de else "Managing director",
            "company": "Berger Haustechnik GmbH",
            "mood": "beschäftigt" if de else "busy",
        },
        "goal": "Einen Termin vereinbaren." if de else "Book a meeting.",
        "starts": "customer",
        "opening": "Berger, ja bitte?" if de else "Berger speaking?",
        "patience": 3,
        "max_turns": 8,
        "phases": [
            {
                "id": "opening",
                "checks": ["reason_early", "short"],
                "pass": ["reason_early"],
                "good": ["Aha. Worum geht es?" if de else "I see. What is it about?"],
                "weak": [
                    "Wer sind Sie, und warum rufen Sie an?" if de else "Who are you and why?",
                    "Also?" if de else "Well?",
                ],
            },
            {
                "id": "objection",
                "objections": ["no_need", "no_time"],
                "raise": "Wir haben keinen Bedarf." if de else "We have no need.",
                "checks": ["acknowledge", "no_but", "open_question"],
                "pass": ["acknowledge", "open_question"],
                "good": ["Na ja, der Notdienst ist teuer." if de else "Well, it is pricey."],
                "weak": ["Wie gesagt, kein Bedarf." if de else "As I said, no need."],
            },
            {
                "id": "close",
                "checks": ["next_step", "value"],
                "pass": ["next_step"],
                "good": [],
                "weak": ["Schicken Sie mir was per Mail." if de else "Just email me."],
            },
        ],
        "end": {
            "success": "Gut, Donnerstag um zehn." if de else "Fine, Thursday at ten.",
            "hang_up": "Nein danke. Wiederhören." if de else "No thanks. Bye.",
            "turn_limit": "Ich muss ins Meeting." if de else "I have a meeting now.",
        },
        "criteria": [
            {
                "id": "reason_early",
                "check": "reason_for_call",
                "label": "Grund früh" if de else "Reason early",
                "model": "Ich rufe an, weil …" if de else "I'm calling because …",
            },
            {
                "id": "short",
                "check": "short_turn",
                "label": "Kurz" if de else "Short",
                "model": "Kurz und klar." if de else "Short and clear.",
            },
            {
                "id": "acknowledge",
                "check": "acknowledge",
                "label": "Einwand angenommen" if de else "Objection acknowledged",
                "model": "Verstehe, …" if de else "I understand, …",
            },
            {
                "id": "no_but",
                "check": "no_but",
                "label": "Kein Aber" if de else "No but",
                "model": "Ohne aber." if de else "Without but.",
            },
            {
                "id": "open_question",
                "check": "open_question",
                "label": "Offene Frage" if de else "Open question",
                "model": "Wie lösen Sie das heute?" if de else "How do you handle it today?",
            },
            {
                "id": "next_step",
                "check": "next_step_date",
                "label": "Termin mit Datum" if de else "Next step with a date",
                "model": "Passt Ihnen Donnerstag um 10?" if de else "Does Thursday at 10 work?",
            },
            {
                "id": "value",
                "check": "customer_value",
                "label": "Nutzen" if de else "Value",
                "model": "Das spart Ihnen Zeit." if de else "It saves you time.",
            },
        ],
    }


def build(lang: str = "de", **changes: Any) -> Scenario:
    """The test scenario, with top-level fields replaced."""
    data = copy.deepcopy(scenario_data(lang))
    data.update(changes)
    return parse_scenario(data, lang=lang, file_id="cold_call", known_objections=KNOWN)


@functools.cache
def cues(lang: str = "de") -> Cues:
    """The test cue lists with the real drill and pitch rubrics."""
    return parse_cues(
        CUES[lang], lang=lang, rubric=load_rubrics()[lang], pitch=load_pitch_rubrics()[lang]
    )


GOOD_RUN = {
    "de": [
        "Guten Tag Frau Berger, ich rufe an, weil viele Betriebe beim Notdienst Zeit verlieren.",
        "Verstehe, das höre ich oft. Wie organisieren Sie den Notdienst heute?",
        "Passt Ihnen Donnerstag um 10 für zwanzig Minuten? Das spart Ihnen Zeit.",
    ],
    "en": [
        "Hello Ms Berger, I'm calling because many firms lose time on emergency calls.",
        "I understand, that makes sense. How do you handle emergency calls today?",
        "Shall we meet on Thursday at 10 for twenty minutes? It saves you time.",
    ],
}
WEAK_RUN = {
    "de": ["Hallo, hier ist Max.", "Wir sind die Besten.", "Aber wirklich."],
    "en": ["Hi, this is Max.", "We are the best.", "But really."],
}
