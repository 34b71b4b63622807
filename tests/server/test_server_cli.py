"""The ``relaydesk-server`` command line, run as a real process."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

CLI = [sys.executable, "-m", "relaydesk.server.cli"]


def _run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_migrate_creates_the_schema(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    done = _run("migrate", "--db", str(db))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"agents", "conversations", "deadlines", "pushes", "links"} <= tables
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _run("migrate", "--db", str(db)).returncode == 0  # again: nothing to do


def test_create_admin_reads_the_password_from_stdin_and_refuses_a_taken_login(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "team.db")
    done = _run("create-admin", "--db", db, "--login", "boss", stdin="correct-horse-1\n")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip()) == 16
    again = _run("create-admin", "--db", db, "--login", "boss", stdin="correct-horse-1\n")
    assert again.returncode == 2
    assert "taken" in again.stderr and "Traceback" not in again.stderr


def test_create_agent_with_fields_and_bad_values_named(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    done = _run(
        "create-agent",
        "--db",
        db,
        "--login",
        "ana",
        "--capacity",
        "4",
        "--team",
        "a",
        "--skill",
        "billing",
        "--password-env",
        "PW",
        env={"PW": "secret-enough"},
    )
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT role, capacity, team, skills FROM agents").fetchone()
    assert row == ("agent", 4, "a", '["billing"]')
    short = _run("create-agent", "--db", db, "--login", "bo", stdin="short\n")
    assert short.returncode == 2
    assert "password" in short.stderr and "Traceback" not in short.stderr
    unset = _run("create-agent", "--db", db, "--login", "bo", "--password-env", "NOPE_UNSET")
    assert unset.returncode == 2 and "NOPE_UNSET" in unset.stderr


def test_backup_refuses_to_overwrite_and_names_a_missing_database(tmp_path: Path) -> None:
    missing = _run("backup", "--db", str(tmp_path / "none.db"), str(tmp_path / "out.db"))
    assert missing.returncode == 2 and "no database" in missing.stderr
    db = str(tmp_path / "team.db")
    assert _run("migrate", "--db", db).returncode == 0
    (tmp_path / "taken.db").write_text("x")
    taken = _run("backup", "--db", db, str(tmp_path / "taken.db"))
    assert taken.returncode == 2 and "exists" in taken.stderr


def test_run_serves_the_api_and_backup_copies_it_while_running(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    assert (
        _run("create-admin", "--db", db, "--login", "boss", stdin="correct-horse-1\n").returncode
        == 0
    )
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, "run", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        login = httpx.post(
            f"{url}/v1/auth/login", json={"login": "boss", "password": "correct-horse-1"}
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        created = httpx.post(
            f"{url}/v1/agents",
            headers=headers,
            json={"login": "ana", "password": "long-enough-1"},
        )
        assert created.status_code == 201
        out = tmp_path / "copy.db"
        done = _run("backup", "--db", db, str(out))
        assert done.returncode == 0, done.stderr
        with sqlite3.connect(out) as conn:
            logins = sorted(r[0] for r in conn.execute("SELECT login FROM agents"))
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert logins == ["ana", "boss"]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
    assert "Traceback" not in errors
