"""deploy/: the compose file parses and wires the bot to a healthy PostgreSQL 15, with an optional
Ollama under the "llm" profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def compose() -> dict[str, Any]:
    """deploy/compose.yaml as data."""
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_compose_has_the_bot_and_postgres() -> None:
    services = compose()["services"]
    assert set(services) == {"bot", "postgres", "ollama"}
    postgres, bot = services["postgres"], services["bot"]
    assert postgres["image"] == "postgres:15"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert bot["env_file"] == "../.env"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+asyncpg://coach:")
    assert bot["environment"]["DATABASE_URL"].endswith("@postgres:5432/coach")


def test_compose_builds_from_the_dockerfile() -> None:
    build = compose()["services"]["bot"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert (context / build["dockerfile"]).is_file()
    assert (context / "pyproject.toml").is_file()
    assert set(compose()["volumes"]) == {"postgres-data", "ollama-models"}


def test_ollama_is_optional_under_the_llm_profile() -> None:
    services = compose()["services"]
    ollama = services["ollama"]
    assert ollama["profiles"] == ["llm"]
    assert ollama["image"].startswith("ollama/ollama")
    assert "ports" not in ollama, "only the bot talks to the model server"
    assert "ollama-models:/root/.ollama" in ollama["volumes"]
    assert "ollama-models" in compose()["volumes"]
    # The bot and its database start without the profile, and never wait for the model.
    for name in ("bot", "postgres"):
        assert "profiles" not in services[name]
    assert set(services["bot"]["depends_on"]) == {"postgres"}


def test_compose_comment_points_the_bot_at_the_ollama_service() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert "LLM_BASE_URL=http://ollama:11434/v1" in text
    assert "--profile llm up" in text
    model = next(
        line.split("=", 1)[1] for line in text.splitlines() if line.startswith("#   LLM_MODEL=")
    )
    assert f"ollama pull {model}" in text, "the model pulled is the one the bot asks for"
    # The .env example names the same address for Ollama.
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    assert "LLM_BASE_URL=http://ollama:11434/v1" in example
