"""A workstation's sync in its own process, for the kill -9 test (run as a script).

Records ``--count`` customer messages into the outbox at a steady pace while the uploader runs,
printing each event id once its append has returned (is durable); then uploads what is left
and prints ``drained``. The token comes from RELAYDESK_TEST_TOKEN, the agent from
RELAYDESK_TEST_AGENT.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from relaydesk.sync.backoff import Backoff
from relaydesk.sync.client import Credential, MemoryTokenStore, TeamClient
from relaydesk.sync.events import Contact, EventType, TeamEvent
from relaydesk.sync.outbox import SqliteOutbox
from relaydesk.sync.uploader import OutboxUploader


async def main(args: argparse.Namespace) -> None:
    tokens = MemoryTokenStore()
    credential = Credential(os.environ["RELAYDESK_TEST_TOKEN"], os.environ["RELAYDESK_TEST_AGENT"],
                            "agent")  # fmt: skip
    tokens.save(args.server, credential)
    outbox = SqliteOutbox(args.outbox)
    async with TeamClient(args.server, tokens) as client:
        uploader = OutboxUploader(client, outbox, batch_size=args.batch,
                                  backoff=Backoff(0.05, 0.5), idle_poll_s=0.05)  # fmt: skip
        task = asyncio.create_task(uploader.run())
        for n in range(args.count):
            event = TeamEvent(EventType.CUSTOMER_MESSAGE, args.account,
                              Contact(f"+1555{args.run:02d}{n:05d}"),
                              text=f"run {args.run} message {n}")  # fmt: skip
            await uploader.record(event)
            sys.stdout.write(event.id + "\n")
            sys.stdout.flush()
            await asyncio.sleep(args.pace)
        while outbox.pending_count():
            await asyncio.sleep(0.05)
        task.cancel()
    print("drained", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--outbox", required=True)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--run", type=int, default=0)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--pace", type=float, default=0.005)
    asyncio.run(main(parser.parse_args()))
