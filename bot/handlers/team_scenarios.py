"""Team scenarios: a team lead uploads their own practice calls as YAML (in /playbook's way) and
downloads them again; in force at once in /rollenspiel for the reps of that language."""

from __future__ import annotations

import logging
from typing import Final

from bot.coach.roleplay import Scenario
from bot.content import DEFAULT_PROMPTS, Raw
from bot.handlers.context import Deps, Session
from bot.scenarios import FOLDER
from bot.team_scenarios import (
    INVALID,
    TeamScenarioError,
    known_objections,
    parse_team_scenarios,
)

log = logging.getLogger(__name__)

# The built-in scenario sent as a template while the team has none of its own.
TEMPLATE: Final = "cold_call"


def parse(deps: Deps, source: str, lang: str) -> tuple[Scenario, ...] | TeamScenarioError:
    """Validate an upload for a language against its playbooks and built-in scenarios."""
    objections = known_objections(deps.playbooks[lang], deps.team_playbooks.get(lang))
    built_in = frozenset(deps.builtin_scenarios(lang).scenarios)
    return parse_team_scenarios(source, lang, built_in, objections)


def _problem(s: Session, error: TeamScenarioError) -> Raw:
    # A field the validator refused is worded from its problem kind, not its English detail;
    # the values (ids, keys from the file) are escaped on rendering.
    if error.kind == INVALID:
        problem = s.text(f"team.scenarios.problem.{error.problem}", **error.values)
    else:
        problem = s.text(f"team.scenarios.error.{error.kind}")
    return Raw(s.text("team.problem", where=error.where or "–", problem=Raw(problem)))


async def upload(s: Session, source: str) -> None:
    """An admin's scenario file: refused with the scenario and field at fault (nothing changes),
    or stored and in force for the admin's language at once."""
    lang = s.lang
    result = parse(s.deps, source, lang)
    if isinstance(result, TeamScenarioError):
        await s.say("team.scenarios.refused", problems=_problem(s, result))
        return
    await s.deps.storage.team_scenarios.put(lang, source, s.user_id, s.deps.clock())
    s.deps.use_team_scenarios(lang, result)
    language = s.deps.content.text(lang, "meta.name")
    if not result:
        await s.say("team.scenarios.cleared", language=language)
        return
    titles = ", ".join(s.text("team.scenarios.title", title=scenario.title) for scenario in result)
    await s.say("team.scenarios.saved", count=len(result), titles=titles, language=language)


async def download(s: Session) -> None:
    """The team's scenario file of the admin's language, or a built-in one as a template."""
    lang = s.lang
    sources = await s.deps.storage.team_scenarios.all()
    language = s.deps.content.text(lang, "meta.name")
    if sources.get(lang):
        await s.bot.send_document(
            s.chat_id,
            sources[lang].encode("utf-8"),
            filename=f"team-scenarios-{lang}.yaml",
            caption=s.text("team.scenarios.download_caption", language=language),
        )
        return
    template = (DEFAULT_PROMPTS / lang / FOLDER / f"{TEMPLATE}.yaml").read_bytes()
    await s.bot.send_document(
        s.chat_id,
        template,
        filename=f"scenario-example-{lang}.yaml",
        caption=s.text("team.scenarios.template_caption", language=language),
    )


async def load_stored(deps: Deps) -> None:
    """Put the stored team scenarios in force at start (a file no longer valid is left out)."""
    for lang, source in (await deps.storage.team_scenarios.all()).items():
        if lang not in deps.roleplays or lang not in deps.playbooks:
            log.error("stored team scenarios refused: lang=%s", lang)
            continue
        result = parse(deps, source, lang)
        if isinstance(result, TeamScenarioError):
            log.error("stored team scenarios refused: lang=%s kind=%s", lang, result.kind)
            continue
        deps.use_team_scenarios(lang, result)
