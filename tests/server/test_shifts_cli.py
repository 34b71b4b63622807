"""``relaydesk-server set-shifts`` run as a real process on a real migrated database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

CLI = [sys.executable, "-m", "relaydesk.server.cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PW": "secret-enough"},
    )  # fmt: skip


def _agent(db: str) -> None:
    done = _run("create-agent", "--db", db, "--login", "ana", "--password-env", "PW")
    assert done.returncode == 0, done.stderr


def _state(db: str) -> tuple[int, list[tuple[str, float]], str | None]:
    with sqlite3.connect(db) as conn:
        on = conn.execute("SELECT on_shift FROM agents WHERE login = 'ana'").fetchone()[0]
        timers = conn.execute("SELECT kind, due_at FROM deadlines ORDER BY kind").fetchall()
        row = conn.execute("SELECT intervals FROM shift_schedules").fetchone()
    return on, timers, row[0] if row else None


def test_set_shifts_by_days_and_times_then_clear(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    _agent(db)
    later = datetime.now(UTC) + timedelta(hours=3)
    day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][later.weekday()]
    spec = f"{day} {later:%H:%M}-{later + timedelta(hours=1):%H:%M}"
    done = _run("set-shifts", "--db", db, "--login", "ana", "--timezone", "UTC", "--shift", spec)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ana: off shift now, next from ")
    on, timers, intervals = _state(db)
    assert on == 0 and intervals is not None
    assert [kind for kind, _ in timers] == ["shift_end", "shift_notice", "shift_start"]
    every_day = _run("set-shifts", "--db", db, "--login", "ana", "--timezone", "Europe/Madrid",
                     "--shift", "mon-sun 00:00-24:00")  # fmt: skip
    assert every_day.stdout.strip() == "ana: on shift now"  # never ends
    on, timers, intervals = _state(db)
    assert on == 1 and len(json.loads(intervals or "[]")) == 7
    cleared = _run("set-shifts", "--db", db, "--login", "ana", "--clear")
    assert cleared.stdout.strip() == "ana: no schedule, always on shift"
    assert _state(db) == (1, [], None)


def test_set_shifts_from_a_file_and_mistakes_in_one_sentence(tmp_path: Path) -> None:
    db = str(tmp_path / "team.db")
    _agent(db)
    doc = tmp_path / "ana.json"
    night = [{"day": 5, "start": "22:00", "end": "06:00"}]
    doc.write_text(json.dumps({"timezone": "Asia/Shanghai", "intervals": night}))
    done = _run("set-shifts", "--db", db, "--login", "ana", "--file", str(doc))
    assert done.returncode == 0, done.stderr
    assert json.loads(_state(db)[2] or "[]") == night
    for args, says in (
        (["--timezone", "UTC", "--shift", "someday 09:00-10:00"], "'someday' is not a weekday"),
        (["--timezone", "Mars/Base", "--shift", "mon 09:00-10:00"], "timezone: "),
        (["--timezone", "UTC", "--shift", "mon 09:00-25:00"], "intervals[0].end: "),
        (["--timezone", "UTC", "--shift", "9 to 5"], 'write it as "mon-fri 09:00-17:00"'),
        (["--shift", "mon 09:00-10:00"], "give --timezone"),
    ):
        bad = _run("set-shifts", "--db", db, "--login", "ana", *args)
        assert bad.returncode == 2 and says in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr
    nobody = _run("set-shifts", "--db", db, "--login", "zed", "--clear")
    assert nobody.returncode == 2 and "no agent with the login 'zed'" in nobody.stderr
