"""Running the Alembic migrations from code, with no alembic.ini needed at run time.

The migration scripts live in the top-level ``migrations/`` folder of a checkout and are shipped inside the
wheel as ``claimtrack/migrations`` (see pyproject.toml); both places are looked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine


def migrations_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "migrations", here.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise RuntimeError("claimtrack's migration scripts are missing from this installation")


def known_revisions() -> set[str]:
    """The revisions this claimtrack has migrations for, from the scripts' file names ("0005_....py" is
    revision "0005"; a test proves the names agree with the revisions inside), without importing Alembic."""
    return {path.name.split("_", 1)[0] for path in (migrations_dir() / "versions").glob("[0-9]*_*.py")}


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config built in code; ``migrations/env.py`` runs on ``engine`` when one is given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> dict[str, object]:
    """Upgrade to ``revision``; return what the migrations left to report (e.g. "vias_converted": 3)."""
    from alembic import command

    config = alembic_config(engine)
    command.upgrade(config, revision)
    return {key: value for key, value in config.attributes.items() if key != "engine"}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]
