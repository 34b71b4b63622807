"""``relaydesk-server copy-db``: a team's data moved to another database, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from relaydesk.server.app import create_app
from relaydesk.server.cli import main as server_cli
from relaydesk.server.settings import ServerSettings

Server = Any  # tests/server/conftest.py's Server (conftest modules are not imported by name)
ServerFactory = Any


async def _team_with_history(server: Server) -> tuple[str, str]:
    """Agents, an account, conversations (one assigned, one closed), intakes, a link click."""
    ana = await server.add_agent("ana", team="a", capacity=2)
    account = await server.add_account("+1", [ana], team="a")
    await server.heartbeat("ana", [account])
    await server.events(
        "ana",
        server.message("e1", account, "+441", 1000.0, "price?"),
        server.message("e2", account, "+442", 1001.0, "hi"),
        server.message("r1", account, "+441", 1002.0, "yes", kind="agent_reply"),
        server.message("c2", account, "+442", 1003.0, "", kind="conversation_closed"),
    )
    link = {"slug": "spring", "targets": [{"account_id": account, "weight": 1}]}
    answer = await server.call("admin", "POST", "/v1/links", link)
    assert answer.status_code == 201, answer.text
    assert (await server.call(None, "GET", "/r/spring")).status_code in (302, 503)
    await server.write_batches()
    return ana, account


LISTS = ("/v1/agents", "/v1/accounts", "/v1/conversations", "/v1/links")


async def _rows(server: Server, path: str) -> list[dict[str, object]]:
    """A listing in id order (the API's own order ties on equal times)."""
    rows = (await server.call("admin", "GET", path)).json()
    return sorted(rows, key=lambda row: str(row["id"]))


async def _copy(source: str, target: str) -> int:
    return await asyncio.to_thread(server_cli, ["copy-db", "--from", source, "--to", target])


async def _serve(like: Server, url: str) -> Server:
    """The app on a database that already has its admin (the copied one)."""
    app = create_app(ServerSettings(database_url=url))
    context = app.router.lifespan_context(app)
    await context.__aenter__()
    server = type(like)(app, url, lifespan=context)
    await server.login("admin", like.admin_password)
    return server


async def _check_copy(server: Server, target: str) -> None:
    _, account = await _team_with_history(server)
    before = {path: await _rows(server, path) for path in LISTS}
    await server.stop()
    assert await _copy(server.db, target) == 0

    moved = await _serve(server, target)
    try:
        await _check_moved(moved, account, before)
    finally:
        await moved.stop()


async def _check_moved(moved: Server, account: str, before: dict[str, object]) -> None:
    for path, rows in before.items():
        assert await _rows(moved, path) == rows, path
    # Passwords (hashes) came along, and the copied database keeps working: new rows get ids
    # past the copied ones (PostgreSQL sequences moved), a new conversation is routed.
    await moved.login("ana", moved.agent_password)
    await moved.heartbeat("ana", [account])
    assert await moved.events("ana", moved.message("e9", account, "+443", 2000.0)) == {
        "accepted": 1,
        "duplicates": 0,
    }
    conversations = (await moved.call("admin", "GET", "/v1/conversations")).json()
    previous = before["/v1/conversations"]
    assert isinstance(previous, list)
    assert len(conversations) == len(previous) + 1
    intake = (await moved.call("admin", "GET", "/v1/reports/intake?group_by=account")).json()
    assert intake, "the intakes came along"


async def test_copy_to_a_new_sqlite_file_keeps_everything(
    make_server: ServerFactory, tmp_path: Path
) -> None:
    server = await make_server()
    target = f"sqlite+aiosqlite:///{tmp_path / 'copy.db'}"
    await _check_copy(server, target)


@pytest.mark.postgres
async def test_copy_from_sqlite_to_postgresql_keeps_everything(
    make_server: ServerFactory, pg_url: str
) -> None:
    server = await make_server()
    await _check_copy(server, pg_url)


async def test_copy_refuses_a_target_that_holds_data(
    make_server: ServerFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = await make_server()
    await server.stop()
    assert await _copy(server.db, str(tmp_path / "copy.db")) == 0
    with pytest.raises(SystemExit) as exit_info:
        await _copy(server.db, str(tmp_path / "copy.db"))
    assert exit_info.value.code == 2
    assert "the target database is not empty: agents (1)" in capsys.readouterr().err


async def test_copy_refuses_a_missing_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        await _copy(str(tmp_path / "nowhere.db"), str(tmp_path / "copy.db"))
    assert exit_info.value.code == 2
    assert "no database at" in capsys.readouterr().err
