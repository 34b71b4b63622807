"""What the outside world does during the demo: customers writing in their own languages to the
four accounts' sandbox pages, and visitors opening the split link.

Both go through the sandbox's HTTP API (the one its tests use) and the server's public ``/r/``
route, so nothing here reaches into another part's state. A visitor follows the link like a
phone would: the server answers with a deep link to one account, and the visitor then writes
the prefilled text (the link's message and code) to that account's page and, a few seconds
later, their question in their own language.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx

from relaydesk.demo.team_setup import ACCOUNTS, LINK_SLUG, DemoTeam
from relaydesk.sandbox.customers import PHONE_PLATFORMS, People, Phrase, load_phrases

FIRST_CUSTOMER_S = 3.0
ASK_AFTER_S = (5.0, 12.0)
QUIET_BEFORE_RETURN_S = 5.0  # a returning customer last wrote at least this long ago
DEEP_LINK_HOSTS = {"wa.me": "whatsapp", "t.me": "telegram", "m.me": "messenger",
                   "ig.me": "instagram"}  # fmt: skip


@dataclass
class Writer:
    """Someone who wrote to a page: enough to write again to the same chat."""

    page: str
    chat_id: str
    name: str
    language: str
    last_at: float = 0.0  # monotonic time of their last message


@dataclass
class TrafficTally:
    messages: int = 0
    new_customers: int = 0
    clicks: int = 0
    clicks_unanswered: int = 0  # the link's waiting page: nobody could take the visitor
    clicks_by_platform: dict[str, int] = field(default_factory=dict)


class Traffic:
    """Customers at ``rate`` messages a minute (``returning`` of them from earlier writers) and a
    link visitor every ``click_every_s`` on average."""

    def __init__(
        self, sandbox_url: str, team: DemoTeam, rng: random.Random, *,
        rate: float = 14.0, returning: float = 0.3, click_every_s: float = 12.0,
    ) -> None:  # fmt: skip
        self.sandbox = httpx.AsyncClient(base_url=sandbox_url, timeout=10)
        self.team = team
        self.rng = rng
        self.rate = rate
        self.returning = returning
        self.click_every_s = click_every_s
        self.pages = [a.page for a in ACCOUNTS]
        self.people = {page: People(rng) for page in self.pages}
        self.phrases: dict[str, list[Phrase]] = load_phrases()
        self.writers: list[Writer] = []
        self.tally = TrafficTally()
        self.stopping = asyncio.Event()
        self.follow_ups: set[asyncio.Task[None]] = set()

    async def close(self) -> None:
        await self.sandbox.aclose()

    def phrase(self, language: str) -> str:
        choices = self.phrases.get(language) or self.phrases.get("en") or []
        return self.rng.choice(choices).text if choices else "Hello?"

    async def write(self, page: str, text: str | None = None,
                    writer: Writer | None = None) -> Writer:  # fmt: skip
        """One customer message on ``page``: from ``writer`` again, else from a new person (in
        their own language unless ``text`` is given)."""
        if writer is not None:
            language = writer.language
            body = {"text": text or self.phrase(language), "name": writer.name,
                    "chat_id": writer.chat_id}  # fmt: skip
        else:
            person = self.people[page].new()
            language = person.language
            body = {"text": text or self.phrase(language), "name": person.name}
            if page in PHONE_PLATFORMS:
                body["phone"] = person.phone
        answer = await self.sandbox.post(f"/api/{page}/customer", json=body)
        answer.raise_for_status()
        self.tally.messages += 1
        if writer is None:
            writer = Writer(page, answer.json()["chat_id"], body["name"], language)
            self.writers.append(writer)
            self.tally.new_customers += 1
        writer.last_at = time.monotonic()
        return writer

    async def one_customer(self) -> None:
        # Someone who wrote a moment ago is not "returning": their new line and the last one
        # would land in one look at the chat list (see ask), hiding a link visitor's code.
        settled = time.monotonic() - QUIET_BEFORE_RETURN_S
        earlier = [w for w in self.writers if w.last_at <= settled]
        if earlier and self.rng.random() < self.returning:
            writer = self.rng.choice(earlier)
            await self.write(writer.page, writer=writer)
        else:
            await self.write(self.rng.choice(self.pages))

    async def pause(self, seconds: float) -> bool:
        """Sleep ``seconds``; False once ``stop()`` was called (a write is never cut in half)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)
        return not self.stopping.is_set()

    def stop(self) -> None:
        self.stopping.set()

    async def customers(self) -> None:
        while await self.pause(self.rng.expovariate(self.rate / 60.0)):
            try:
                await self.one_customer()
            except httpx.HTTPError:
                await asyncio.sleep(1)  # the sandbox is stopping

    async def one_click(self) -> None:
        """A new visitor opens ``/r/<slug>`` (no cookie) and writes what the link prefilled."""
        async with httpx.AsyncClient(base_url=self.team.url, timeout=10) as phone:
            answer = await phone.get(f"/r/{LINK_SLUG}", follow_redirects=False)
        if answer.status_code != 302:
            self.tally.clicks += 1
            self.tally.clicks_unanswered += 1
            return
        target = urlsplit(answer.headers["location"])
        platform = DEEP_LINK_HOSTS.get(target.netloc)
        account = next((a for a in ACCOUNTS if a.server_platform == platform), None)
        if account is None:
            return
        prefilled = parse_qs(target.query).get("text", [""])[0]
        if not prefilled:  # Instagram's links carry no text: the visitor types the code
            prefilled = f"{self.team.link.get('message') or ''} #{self.team.link['code']}".strip()
        writer = await self.write(account.page, prefilled)
        self.tally.clicks += 1
        counts = self.tally.clicks_by_platform
        counts[account.server_platform] = counts.get(account.server_platform, 0) + 1
        follow_up = asyncio.create_task(self.ask(writer))
        self.follow_ups.add(follow_up)
        follow_up.add_done_callback(self.follow_ups.discard)

    async def ask(self, writer: Writer) -> None:
        """A visitor's question, in their own language, a few seconds after the prefilled text
        (the time to type it). Sent at once, both would land in one look at the chat list: the
        workstation would report the question first and the code only when someone opens the
        chat (desktop/unseen_messages.py), and in the demo the colleagues' chats are never
        opened there, so their link visitors would stay organic."""
        if await self.pause(self.rng.uniform(*ASK_AFTER_S)):
            with contextlib.suppress(httpx.HTTPError):
                await self.write(writer.page, writer=writer)

    async def clicks(self) -> None:
        while await self.pause(self.rng.expovariate(1.0 / self.click_every_s)):
            try:
                await self.one_click()
            except httpx.HTTPError:
                await asyncio.sleep(1)

    async def run(self) -> None:
        if not await self.pause(FIRST_CUSTOMER_S):  # the pages show their (empty) lists
            return
        await self.one_customer()
        await asyncio.gather(self.customers(), self.clicks())
        await asyncio.gather(*self.follow_ups)  # those still waiting end at once
