"""deploy/: the compose file parses and wires the bot to a healthy PostgreSQL 15."""

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
    assert set(services) == {"bot", "postgres"}
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
    assert set(compose()["volumes"]) == {"postgres-data"}
