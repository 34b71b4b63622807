"""Two simulated colleagues: bots that work like workstations, through the team server's real
HTTP API (sign-in, heartbeats with their open accounts, conversations, events, close).

Each takes what the server assigns it, answers two in three after a few seconds (through the
sandbox page, as an agent's click would, then reports the ``agent_reply``) and closes them a little
later; the first and every third it lets lapse, so the server hands it to someone else at the
reply deadline (a fixed pattern, so even a one-minute demo shows a handoff).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from relaydesk.demo.team_setup import ACCOUNTS, DemoTeam, Person, login
from relaydesk.platforms.identity import contact_handle, e164

log = logging.getLogger("relaydesk.demo")

HEARTBEAT_S = 5.0
LOOK_EVERY_S = 1.0
SIGN_IN_RETRY_S = 1.0
LAPSE_EVERY = 3  # the 1st, 4th, 7th… assignment lapses: a handoff early in even a short demo
REPLY_AFTER_S = (3.0, 9.0)  # well inside the demo's reply timeout
CLOSE_AFTER_S = (6.0, 14.0)
REPLIES = (
    "Hi! Thanks for writing, I'm looking into it now.",
    "Hello! Could you tell me your order number, please?",
    "Thank you for your patience. It's on its way.",
    "Good news: that's sorted for you.",
)


@dataclass
class ColleagueTally:
    assigned: int = 0
    answered: int = 0
    lapsed: int = 0
    closed: int = 0
    errors: int = 0  # requests the server refused or that failed
    last_error: str = ""


class Colleague:
    """One bot agent on the server, and its replies on the sandbox pages."""

    def __init__(self, person: Person, team: DemoTeam, sandbox_url: str,
                 rng: random.Random) -> None:  # fmt: skip
        self.person = person
        self.team = team
        self.rng = rng
        self.server = httpx.AsyncClient(base_url=team.url, timeout=10)
        self.sandbox = httpx.AsyncClient(base_url=sandbox_url, timeout=10)
        self.agent_id = team.agent_ids[person.login]
        self.open_accounts = [
            team.account_ids[a.key] for a in ACCOUNTS if person.login in a.members
        ]
        self.handled: set[tuple[str, float]] = set()  # (conversation, ownership start) seen
        self.tally = ColleagueTally()
        self._tasks: set[asyncio.Task[None]] = set()
        self.sending = asyncio.Lock()
        self.stopping = False

    async def close(self) -> None:
        """Stop working: a reply being sent is finished first (so every tally is whole)."""
        async with self.sending:
            self.stopping = True
            for task in self._tasks:
                task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self.server.aclose()
        await self.sandbox.aclose()

    def start(self) -> None:
        self._spawn(self.run())

    async def sign_in(self) -> None:
        answer = await login(self.server, self.person.login, self.team.passwords[self.person.login])
        self.server.headers["Authorization"] = f"Bearer {answer['token']}"
        await self.heartbeat()

    async def heartbeat(self) -> None:
        body = {"status": "online", "open_accounts": self.open_accounts}
        (await self.server.post("/v1/heartbeat", json=body)).raise_for_status()

    async def run(self) -> None:
        """Sign in (again, until it works: a server busy starting the app may time a request
        out), then heartbeat and look for new assignments; a refused token signs in anew."""
        signed_in = False
        beat_due = 0.0
        while True:
            try:
                if not signed_in:
                    await self.sign_in()
                    signed_in = True
                    beat_due = time.monotonic() + HEARTBEAT_S
                elif time.monotonic() >= beat_due:
                    await self.heartbeat()
                    beat_due = time.monotonic() + HEARTBEAT_S
                await self.look()
            except httpx.HTTPError as error:
                self.tally.errors += 1
                self.tally.last_error = f"{type(error).__name__}: {error}"
                log.info("%s: %s", self.person.login, error)
                if isinstance(error, httpx.HTTPStatusError):
                    signed_in = signed_in and error.response.status_code != 401
            await asyncio.sleep(LOOK_EVERY_S if signed_in else SIGN_IN_RETRY_S)

    async def look(self) -> None:
        """New assignments: decide now whether this one gets an answer or lapses."""
        answer = await self.server.get("/v1/conversations", params={"owner_id": self.agent_id})
        answer.raise_for_status()
        for row in answer.json():
            if row["state"] == "closed" or row["owner_id"] != self.agent_id:
                continue
            detail = (await self.server.get(f"/v1/conversations/{row['id']}")).json()
            mine = [s for s in detail["owner_history"] if s["end"] is None]
            if not mine or (row["id"], mine[-1]["start"]) in self.handled:
                continue
            self.handled.add((row["id"], mine[-1]["start"]))
            self.tally.assigned += 1
            if self.tally.assigned % LAPSE_EVERY == 1:
                self.tally.lapsed += 1
            else:
                self._spawn(self.answer(detail))

    def _spawn(self, work: Any) -> None:
        task = asyncio.ensure_future(self._quietly(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _quietly(self, work: Any) -> None:
        """A request the server or sandbox refused is logged, not left in an unretrieved task."""
        try:
            await work
        except httpx.HTTPError as error:
            log.info("%s: %s", self.person.login, error)

    async def answer(self, conversation: dict[str, Any]) -> None:
        await asyncio.sleep(self.rng.uniform(*REPLY_AFTER_S))
        async with self.sending:
            if not self.stopping:
                await self.reply(conversation)
        await asyncio.sleep(self.rng.uniform(*CLOSE_AFTER_S))
        closed = await self.server.post(f"/v1/conversations/{conversation['id']}/close")
        if closed.status_code == 200:
            self.tally.closed += 1

    async def reply(self, conversation: dict[str, Any]) -> None:
        """On the account's sandbox page (as a click on Send would), then to the server."""
        account = self.team.account(conversation["account_id"])
        contact = conversation["contact"]
        chat_id = await self.find_chat(account.page, contact["handle"], contact.get("name"))
        if chat_id is None:
            log.info("%s: no sandbox chat for %s", self.person.login, contact["handle"])
            return
        text = self.rng.choice(REPLIES)
        sent = await self.sandbox.post(
            f"/api/{account.page}/send", json={"chat_id": chat_id, "text": text}
        )
        sent.raise_for_status()
        self.tally.answered += 1
        event = {
            "id": f"demo-{uuid.uuid4()}",
            "type": "agent_reply",
            "account_id": conversation["account_id"],
            "contact": {"handle": contact["handle"]},
            "ts": time.time(),
            "text": text,
        }
        (await self.server.post("/v1/events", json={"events": [event]})).raise_for_status()

    async def find_chat(self, page: str, handle: str, name: str | None) -> str | None:
        """The sandbox chat behind a contact handle as the workstation's recipe reported it."""
        state = (await self.sandbox.get(f"/api/{page}/state")).json()
        for chat in state["chats"]:
            known = {chat["id"], chat["title"], contact_handle(page, chat["id"], chat["title"])}
            if chat.get("phone"):
                known.add(e164(chat["phone"]) or chat["phone"])
            if handle in known:
                return str(chat["id"])
        named = [c for c in state["chats"] if name and c["name"] == name]
        return str(named[0]["id"]) if len(named) == 1 else None
