"""Fixtures: a real database per test — a SQLite file, or a PostgreSQL database when
``CLAIMTRACK_TEST_PG_URL`` names a server — and a CLI runner pointed at it.

Migrating a fresh database for every test would dominate the run, so one database is migrated per session and
copied for each test: the file on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from claimtrack.cli import app
from claimtrack.db import Ledger, dispose_engines

PG_URL = os.environ.get("CLAIMTRACK_TEST_PG_URL")


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL:
        from sqlalchemy.engine import make_url

        return f"claimtrack database: PostgreSQL ({make_url(PG_URL).render_as_string(hide_password=True)})"
    return "claimtrack database: SQLite"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: checks SQLite-specific behaviour (file, pragmas)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="SQLite-specific; this run is against PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Each test runs as a known user, in its own folder, with no database chosen by the environment."""
    monkeypatch.setenv("CLAIMTRACK_USER", "tester")
    monkeypatch.delenv("CLAIMTRACK_DB", raising=False)
    monkeypatch.delenv("CLAIMTRACK_DEBUG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.chdir(tmp_path)
    yield
    dispose_engines()


def _pg_admin() -> Any:
    from sqlalchemy import create_engine

    from claimtrack.db import resolve_url

    return create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")


def _drop_database(admin: Any, name: str) -> None:
    """Drop a test database. WITH (FORCE) ends our own leftover sessions, but a non-superuser may not end an
    autovacuum worker that happens to be visiting the fresh database: wait for it to leave and try again."""
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for attempt in range(40):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == 39:
                raise
            time.sleep(0.25)


def _pg_url_for(name: str) -> str:
    from sqlalchemy.engine import make_url

    from claimtrack.db import resolve_url

    return make_url(resolve_url(PG_URL)).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at the current schema, made once, to copy for each test."""
    if PG_URL:
        from sqlalchemy import text

        name = f"claimtrack_tpl_{uuid.uuid4().hex[:8]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = _pg_url_for(name)
        Ledger(url).upgrade()
        dispose_engines()
        yield name
        _drop_database(admin, name)
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        Ledger(f"sqlite:///{path}").upgrade()
        dispose_engines()
        yield str(path)


@pytest.fixture
def blank_url(tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it (no schema)."""
    if PG_URL:
        from sqlalchemy import text

        name = f"claimtrack_t_{uuid.uuid4().hex[:10]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield _pg_url_for(name)
        dispose_engines()
        _drop_database(admin, name)
        admin.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'blank.db'}"


@pytest.fixture
def db_url(tmp_path: Path, _template: str) -> Iterator[str]:
    """A database at the current schema, empty of records."""
    if PG_URL:
        from sqlalchemy import text

        name = f"claimtrack_t_{uuid.uuid4().hex[:10]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_template}"'))
        yield _pg_url_for(name)
        dispose_engines()
        _drop_database(admin, name)
        admin.dispose()
    else:
        path = tmp_path / "ledger.db"
        shutil.copyfile(_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def ledger(db_url: str) -> Ledger:
    return Ledger(db_url)


class Run:
    """Runs the CLI against one database, the way a user would type it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | bytes | None = None, db: bool = True) -> Any:
        argv = ["--db", self.url, *args] if db else list(args)
        return self.runner.invoke(app, argv, input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | bytes | None = None) -> Any:
        result = self(*args, input=input)
        assert result.exit_code == 0, (
            f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str) -> Any:
        import json

        return json.loads(self.ok(*args, "--json").stdout)


@pytest.fixture
def cli(db_url: str) -> Run:
    return Run(db_url)


@pytest.fixture
def snapshot(db_url: str) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Every row of every claimtrack table, to prove that a failed command changed nothing."""

    def take() -> dict[str, list[tuple[Any, ...]]]:
        from sqlalchemy import select

        from claimtrack.db import get_engine
        from claimtrack.models import Base

        with get_engine(db_url).connect() as conn:
            return {
                table.name: sorted(conn.execute(select(table)).all(), key=repr)
                for table in Base.metadata.sorted_tables
            }

    return take


@pytest.fixture
def sample(ledger: Ledger) -> dict[str, str]:
    """The bundled sample investigation (Veloria, Port Selden) in the test's ledger: claim keys by label."""
    from claimtrack.sample import load

    with ledger.session(write=True) as session:
        return load(session)


ROOT_DIR = Path(__file__).resolve().parent.parent


def bench_generator() -> ModuleType:
    """bench/generate.py, the benchmarks' synthetic investigation, loaded as a module."""
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT_DIR / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_investigation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmarks' generated investigation at a small scale (a SQLite file, one per test module)."""
    path = tmp_path_factory.mktemp("bench") / "small.db"
    bench_generator().generate(path, scale=0.004, seed=7, log=None)
    return path
