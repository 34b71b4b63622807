"""The team server under load: simulated agents and customers over HTTP and WebSocket on loopback.

One server process (``relaydesk-server run``, SQLite in a temporary directory, real migrations)
serves ``--agents`` agents on ``--accounts`` shared accounts; every agent is online and holds an
open stream. Phase 1 sends ``--customers`` first messages and as many follow-ups, one event per
request from ``--concurrency`` workstations at once, and measures:

- events/s and p50/p99 ingestion latency (request sent → answer);
- p50/p99 assignment latency (first message sent → ``assigned`` push received by the owner);
- double assignments (a conversation with two open ownership stretches, or pushed as assigned
  to two agents without a handoff) and agents over capacity.

Phase 2 sets a 1 s reply timeout, sends ``--handoff-customers`` new messages nobody answers and
measures handoff lateness (``handoff`` push received − the reply deadline it enforces). Phase 3
hits a split link ``/r/{slug}`` ``--redirects`` times and measures redirects/s.

The load itself (events and redirects) goes through a lean client (``--client raw``, the
default): one keep-alive HTTP/1.1 connection per workstation or visitor, requests built and
serialised before the clock starts (only each request's send time is taken while measuring),
answers parsed just far enough to check the status. The benchmark runs on the same cores as the
server, so the client's own CPU counts against the server's; it is measured and printed
(``client_cpu_cores_*``) next to the server's. ``--client httpx`` sends the same load through
httpx, as the first rounds did (about a core of client CPU at these rates). Set-up, heartbeats,
streams and the checks (double assignment, over capacity, offline agents) use httpx and
websockets either way.

    python benchmarks/server_load.py [--agents 200] [--customers 1500] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import websockets

PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _interleave(
    firsts: list[tuple[str, dict[str, Any]]],
    follow_ups: list[tuple[str, dict[str, Any]]],
    lag: int,
) -> list[tuple[str, dict[str, Any]]]:
    """One stream: customer n's follow-up right after customer n + ``lag``'s first message."""
    merged = []
    for n, first in enumerate(firsts):
        merged.append(first)
        if n >= lag:
            merged.append(follow_ups[n - lag])
    merged.extend(follow_ups[max(0, len(firsts) - lag) :])
    return merged


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU time of a process (or of one of its threads) so far (Linux /proc)."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


class RawConnection:
    """One keep-alive HTTP/1.1 connection sending pre-built requests (no per-request objects).

    Enough HTTP for this server's answers: a status line, headers with ``content-length``
    (uvicorn sends it for every non-streamed answer), the body. A ``set-cookie`` is kept and
    sent back, as a browser would (``/r/`` remembers a visitor by a cookie).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookie = b""

    async def request(self, head: bytes, body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        if self.cookie:
            head += b"cookie: " + self.cookie + b"\r\n"
        self.writer.write(head + b"\r\n" + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw[9:12])
        length = None
        for line in raw.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"set-cookie":
                self.cookie = value.strip().split(b";", 1)[0]
        if length is None:
            raise RuntimeError(f"answer without content-length: {raw[:200]!r}")
        return status, await self.reader.readexactly(length) if length else b""

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _post_head(host: str, path: str, token: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nhost: {host}\r\nauthorization: Bearer {token}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
    ).encode()


async def _send_events_raw(
    host: str, port: int, jobs: list[tuple[str, dict[str, Any]]], concurrency: int
) -> tuple[list[float], dict[str, float], float]:
    """``_send_events`` over raw connections: bodies serialised before the clock starts."""
    prepared = []
    for token, event in jobs:
        body = json.dumps({"events": [event]}, separators=(",", ":")).encode()
        prepared.append((event["id"], _post_head(host, "/v1/events", token, body), body))
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    pending = iter(prepared)

    async def worker() -> None:
        connection = RawConnection(host, port)
        try:
            for event_id, head, body in pending:
                start = time.time()
                sent_at[event_id] = start
                status, answer = await connection.request(head, body)
                assert status == 200, answer
                latencies.append(time.time() - start)
        finally:
            connection.close()

    began = time.time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, sent_at, time.time() - began


async def _send_events_open(
    host: str,
    port: int,
    jobs: list[tuple[str, dict[str, Any]]],
    rate: float,
    seed: int = 7,
    by_id: dict[str, float] | None = None,
) -> tuple[list[float], dict[str, float], float]:
    """Open loop: events sent at ``rate`` per second on a Poisson schedule, whether or not
    earlier ones were answered (each on an idle keep-alive connection, a new one when none is
    idle). Latency counts from the scheduled time, so a send the client itself delayed counts
    against the server too (no coordinated omission)."""
    prepared = []
    for token, event in jobs:
        body = json.dumps({"events": [event]}, separators=(",", ":")).encode()
        prepared.append((event["id"], _post_head(host, "/v1/events", token, body), body))
    arrivals = random.Random(seed)
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    idle: list[RawConnection] = []
    opened: list[RawConnection] = []
    in_flight: set[asyncio.Task[None]] = set()

    async def one(event_id: str, head: bytes, body: bytes, due: float) -> None:
        connection = idle.pop() if idle else None
        if connection is None:
            connection = RawConnection(host, port)
            opened.append(connection)
        sent_at[event_id] = due
        status, answer = await connection.request(head, body)
        assert status == 200, answer
        latencies.append(time.time() - due)
        if by_id is not None:
            by_id[event_id] = latencies[-1]
        idle.append(connection)

    began = time.time()
    due = began
    try:
        for event_id, head, body in prepared:
            due += arrivals.expovariate(rate)
            wait = due - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
            task = asyncio.create_task(one(event_id, head, body, due))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.gather(*in_flight)
    finally:
        for connection in opened:
            connection.close()
    return latencies, sent_at, time.time() - began


async def _visit_raw(host: str, port: int, path: str, visits: int, concurrency: int) -> float:
    """GET ``path`` ``visits`` times from ``concurrency`` visitors (each keeps its cookie)."""
    head = f"GET {path} HTTP/1.1\r\nhost: {host}\r\n".encode()
    left = iter(range(visits))

    async def visitor() -> None:
        connection = RawConnection(host, port)
        try:
            for _ in left:
                status, _body = await connection.request(head)
                assert status in (302, 503), status
        finally:
            connection.close()

    began = time.time()
    await asyncio.gather(*(visitor() for _ in range(concurrency)))
    return time.time() - began


class Streams:
    """Every agent's stream; pushes kept with the time they arrived."""

    def __init__(self) -> None:
        self.pushes: list[tuple[float, str, dict[str, Any]]] = []
        self.sockets: list[Any] = []
        self.tasks: list[asyncio.Task[None]] = []

    async def open(self, url: str, login: str, token: str) -> None:
        ws = await websockets.connect(f"{url}/v1/stream?token={token}", max_queue=None)
        self.sockets.append(ws)
        self.tasks.append(asyncio.create_task(self._read(ws, login)))

    async def _read(self, ws: Any, login: str) -> None:
        try:
            async for raw in ws:
                self.pushes.append((time.time(), login, json.loads(raw)))
        except websockets.ConnectionClosed:
            pass

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def _setup(
    http: httpx.AsyncClient, agents: int, accounts: int, capacity: int
) -> dict[str, Any]:
    admin = await http.post("/v1/auth/login", json={"login": "admin", "password": PASSWORD})
    headers = {"Authorization": f"Bearer {admin.json()['token']}"}
    sem = asyncio.Semaphore(8)

    async def add(i: int) -> str:
        async with sem:
            body = {
                "login": f"agent{i:03}",
                "password": PASSWORD,
                "team": "a",
                "capacity": capacity,
            }
            answer = await http.post("/v1/agents", headers=headers, json=body)
            assert answer.status_code == 201, answer.text
            return str(answer.json()["id"])

    ids = await asyncio.gather(*(add(i) for i in range(agents)))
    account_ids = []
    for a in range(accounts):
        members = [ids[i] for i in range(agents) if i % accounts == a]
        body = {
            "platform": "whatsapp",
            "handle": f"+1555{a:05}",
            "shared": True,
            "team": "a",
            "members": members,
        }
        answer = await http.post("/v1/accounts", headers=headers, json=body)
        assert answer.status_code == 201, answer.text
        account_ids.append(answer.json()["id"])

    async def login(i: int) -> str:
        async with sem:
            answer = await http.post(
                "/v1/auth/login", json={"login": f"agent{i:03}", "password": PASSWORD}
            )
            return str(answer.json()["token"])

    tokens = await asyncio.gather(*(login(i) for i in range(agents)))
    return {"admin": headers, "ids": ids, "accounts": account_ids, "tokens": tokens}


async def _send_events(
    http: httpx.AsyncClient, jobs: list[tuple[str, dict[str, Any]]], concurrency: int
) -> tuple[list[float], dict[str, float], float]:
    """POST one event per request; returns latencies, send time per event id, wall time."""
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def worker() -> None:
        while not queue.empty():
            token, event = queue.get_nowait()
            start = time.time()
            sent_at[event["id"]] = start
            answer = await http.post(
                "/v1/events", headers={"Authorization": f"Bearer {token}"}, json={"events": [event]}
            )
            assert answer.status_code == 200, answer.text
            latencies.append(time.time() - start)

    began = time.time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, sent_at, time.time() - began


async def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = round(os.getloadavg()[0], 2)
    work = Path(tempfile.mkdtemp(prefix="relaydesk-bench-"))
    db = str(work / "server.db")
    env = {**os.environ, "BENCH_PW": PASSWORD}
    cli = [sys.executable, "-m", "relaydesk.server.cli"]
    subprocess.run(
        [*cli, "create-admin", "--db", db, "--login", "admin", "--password-env", "BENCH_PW"],
        check=True,
        env=env,
        capture_output=True,
    )
    port = _free_port()
    log = open(work / "server.log", "w")  # closed in the finally below
    server_env = {**os.environ, "RELAYDESK_TRACE_PUSHES": "1"} if args.trace else None
    server = subprocess.Popen(
        [*cli, "run", "--db", db, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=server_env,
    )
    profiler: subprocess.Popen[bytes] | None = None

    async def start_profiler() -> None:
        # Collapsed stacks of the server process during phase 1 only (set-up hashes 200
        # passwords, which would otherwise be most of the samples).
        nonlocal profiler
        if args.profile:
            profiler = subprocess.Popen(
                [
                    *("py-spy", "record", "--pid", str(server.pid), "--rate", "400"),
                    *("-f", "raw", "--threads", "-o", args.profile),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            await asyncio.sleep(1.0)  # attached before the clock starts

    def stop_profiler() -> None:
        nonlocal profiler
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
            profiler = None

    url = f"http://127.0.0.1:{port}"
    streams = Streams()

    async def send(jobs: list[tuple[str, dict[str, Any]]], measured: bool = True) -> Any:
        if args.rate and measured:
            return await _send_events_open("127.0.0.1", port, jobs, args.rate)
        if args.client == "raw":
            return await _send_events_raw("127.0.0.1", port, jobs, args.concurrency)
        return await _send_events(http, jobs, args.concurrency)

    limits = httpx.Limits(max_connections=args.concurrency + 8)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
            for _ in range(400):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            team = await _setup(http, args.agents, args.accounts, args.capacity)
            ids, tokens, accounts = team["ids"], team["tokens"], team["accounts"]
            # Phase 1 measures routing alone: nobody's reply deadline may lapse meanwhile.
            rules = (await http.get("/v1/rules", headers=team["admin"])).json()
            rules["default_reply_timeout_s"] = 3600.0
            await http.put("/v1/rules", headers=team["admin"], json=rules)
            login_of = {ids[i]: f"agent{i:03}" for i in range(args.agents)}
            for i in range(args.agents):
                beat = {"status": "online", "open_accounts": [accounts[i % args.accounts]]}
                await http.post(
                    "/v1/heartbeat", json=beat, headers={"Authorization": f"Bearer {tokens[i]}"}
                )

            async def keep_beating() -> None:  # workstations beat well inside offline_grace_s
                while True:
                    await asyncio.sleep(15)
                    for i in range(args.agents):
                        beat = {"status": "online", "open_accounts": [accounts[i % args.accounts]]}
                        await http.post(
                            "/v1/heartbeat",
                            json=beat,
                            headers={"Authorization": f"Bearer {tokens[i]}"},
                        )

            beating = asyncio.create_task(keep_beating())
            ws_url = url.replace("http://", "ws://")
            for i in range(args.agents):
                await streams.open(ws_url, f"agent{i:03}", tokens[i])
            await asyncio.sleep(0.5)

            # Phase 1: first messages and follow-ups, reported by a member of the account.
            def reporter(account_index: int, n: int) -> str:
                members = [i for i in range(args.agents) if i % args.accounts == account_index]
                return str(tokens[members[n % len(members)]])

            firsts, follow_ups = [], []
            for n in range(args.customers):
                a = n % args.accounts
                handle = f"+44{n:07}"
                base = {
                    "type": "customer_message",
                    "account_id": accounts[a],
                    "contact": {"handle": handle},
                    "ts": 1_000_000.0 + n,
                }
                firsts.append((reporter(a, n), {**base, "id": f"c{n}", "text": "hello"}))
                follow_ups.append(
                    (
                        reporter(a, n + 1),
                        {**base, "id": f"f{n}", "ts": base["ts"] + 0.5, "text": "is it in stock?"},
                    )
                )
            first_handles = {e["id"]: e["contact"]["handle"] for _, e in firsts}
            if args.warmup:
                await _warm_up(http, send, team, reporter, args)
            await start_profiler()
            cpu_before = _cpu_seconds(server.pid)
            loop_before = _cpu_seconds(server.pid, server.pid)  # the event loop's thread
            client_before = time.process_time()  # this process: load, streams, heartbeats
            cpu_firsts_s: float | None
            if args.rate and args.mixed:
                # One stream as customers make it: each one's follow-up comes about a second
                # after their first message, between other customers' first messages.
                took: dict[str, float] = {}
                merged = _interleave(firsts, follow_ups, lag=max(1, int(args.rate / 2)))
                _, sent_at, seconds = await _send_events_open(
                    "127.0.0.1", port, merged, args.rate, by_id=took
                )
                latencies = [took[e["id"]] for _, e in firsts]
                more, more_s, cpu_firsts_s = [took[e["id"]] for _, e in follow_ups], 0.0, None
            else:
                latencies, sent_at, seconds = await send(firsts)
                cpu_firsts_s = _cpu_seconds(server.pid) - cpu_before
                more, _, more_s = await send(follow_ups)
            server_cpu_s = _cpu_seconds(server.pid) - cpu_before
            server_cpu = server_cpu_s / (seconds + more_s)
            loop_cpu = (_cpu_seconds(server.pid, server.pid) - loop_before) / (seconds + more_s)
            client_cpu = (time.process_time() - client_before) / (seconds + more_s)
            stop_profiler()
            await asyncio.sleep(1.0)
            sent_by_handle = {first_handles[k]: v for k, v in sent_at.items() if k in first_handles}
            assigned = [(t, login, p) for t, login, p in streams.pushes if p["type"] == "assigned"]
            assignment_latency = [
                t - sent_by_handle[p["contact_handle"]]
                for t, _, p in assigned
                if p.get("contact_handle") in sent_by_handle
            ]
            began_at = min(sent_at.values())
            trace = _trace_segments(assigned, sent_by_handle, began_at) if args.trace else None
            owners: dict[str, set[str]] = defaultdict(set)
            for _, login, p in assigned:
                owners[p["conversation_id"]].add(login)
            pushed_twice = sum(1 for o in owners.values() if len(o) > 1)
            convs = (
                await http.get(
                    "/v1/conversations",
                    params={"limit": 1000, "state": "assigned"},
                    headers=team["admin"],
                )
            ).json()
            per_agent: dict[str, int] = defaultdict(int)
            for c in convs:
                per_agent[c["owner_id"]] += 1
            over_capacity = sum(1 for n in per_agent.values() if n > args.capacity)
            everyone = (await http.get("/v1/agents", headers=team["admin"])).json()
            # Heartbeats must keep everyone online through the event traffic.
            went_offline = sum(
                1 for a in everyone if a["id"] in login_of and a["status"] != "online"
            )

            # Phase 2: a 1 s reply deadline nobody meets; handoffs must come on time.
            rules["default_reply_timeout_s"] = 1.0
            await http.put("/v1/rules", headers=team["admin"], json=rules)
            mark = len(streams.pushes)
            jobs = _new_customers(
                args.handoff_customers, "h", "+33", 2_000_000.0, "anyone there?", accounts, reporter
            )
            await send(jobs, measured=False)
            await asyncio.sleep(4.0)
            deadlines: dict[str, float] = {}
            lateness = []
            for t, login, p in streams.pushes[mark:]:
                if not str(p.get("contact_handle", "")).startswith("+33"):
                    continue
                if p["type"] == "assigned":
                    deadlines[p["conversation_id"] + ":" + login] = p["reply_deadline"]
                elif p["type"] == "handoff" and login_of.get(p["from_agent_id"]) == login:
                    due = deadlines.get(p["conversation_id"] + ":" + login)
                    if due is not None:
                        lateness.append(t - due)

            # Phase 3: a split link over every account.
            targets = [{"account_id": a, "weight": 1} for a in accounts]
            await http.post(
                "/v1/links", headers=team["admin"], json={"slug": "bench", "targets": targets}
            )
            count = 0

            async def visitor() -> None:
                nonlocal count
                async with httpx.AsyncClient(base_url=url, timeout=30) as own:
                    while count < args.redirects:
                        count += 1
                        answer = await own.get("/r/bench", follow_redirects=False)
                        assert answer.status_code in (302, 503), answer.status_code

            cpu_before = _cpu_seconds(server.pid)
            client_before = time.process_time()
            if args.client == "raw":
                redirect_s = await _visit_raw(
                    "127.0.0.1", port, "/r/bench", args.redirects, args.concurrency
                )
            else:
                began = time.time()
                await asyncio.gather(*(visitor() for _ in range(args.concurrency)))
                redirect_s = time.time() - began
            redirect_server_cpu = (_cpu_seconds(server.pid) - cpu_before) / redirect_s
            redirect_client_cpu = (time.process_time() - client_before) / redirect_s
            beating.cancel()
    finally:
        await streams.close()
        stop_profiler()
        server.terminate()
        server.wait(timeout=30)
        log.close()
        server_log = (work / "server.log").read_text().splitlines()
        errors = [line for line in server_log if "Error" in line]
        if errors:
            print(f"server errors (see {work / 'server.log'}):", *errors[-5:], sep="\n")
    if trace is not None:
        trace["gc_pauses"] = _gc_pauses(server_log, trace.pop("_slowest"))
    return {
        "agents": args.agents,
        "accounts": args.accounts,
        "customers": args.customers,
        "events": len(firsts) + len(follow_ups),
        # Closed loop (default): --concurrency workstations each keep one request in flight, so
        # this is the most the server takes. Open loop (--rate): what was offered, and taken.
        "load": (
            f"open loop at {args.rate:g} events/s"
            + (", first messages and follow-ups mixed" if args.mixed else "")
            if args.rate
            else "closed loop"
        ),
        "events_per_s": round((len(firsts) + len(follow_ups)) / (seconds + more_s), 1),
        # Cores the server process used during phase 1 (1.0 = one core busy all along).
        "server_cpu_cores_phase_1": round(server_cpu, 2),
        # Server CPU time per event of phase 1 (all threads): what the machine's load does
        # not change much, unlike events/s and latencies on a shared machine.
        "server_cpu_ms_per_event": round(1000 * server_cpu_s / (len(firsts) + len(follow_ups)), 2),
        "of_which_event_loop_thread": round(loop_cpu, 2),
        # Phase 1 sends every first message (each opens and routes a conversation), then every
        # follow-up (updates it): the two halves' CPU per event and answer times apart.
        # (not apart when --mixed sends them as one stream)
        "server_cpu_ms_per_first_message": (
            None if cpu_firsts_s is None else round(1000 * cpu_firsts_s / len(firsts), 2)
        ),
        "server_cpu_ms_per_follow_up": (
            None
            if cpu_firsts_s is None
            else round(1000 * (server_cpu_s - cpu_firsts_s) / len(follow_ups), 2)
        ),
        "ingest_first_messages_p50_p99_ms": [_ms(_pct(latencies, 0.5)), _ms(_pct(latencies, 0.99))],
        "ingest_follow_ups_p50_p99_ms": [_ms(_pct(more, 0.5)), _ms(_pct(more, 0.99))],
        # Cores this benchmark process (the load, streams, heartbeats) used meanwhile.
        "client": args.client,
        "client_cpu_cores_phase_1": round(client_cpu, 2),
        "ingest_p50_ms": _ms(_pct(latencies + more, 0.5)),
        "ingest_p99_ms": _ms(_pct(latencies + more, 0.99)),
        "assigned_pushes": len(assigned),
        "assignment_p50_ms": _ms(_pct(assignment_latency, 0.5)),
        "assignment_p99_ms": _ms(_pct(assignment_latency, 0.99)),
        "double_assignments": pushed_twice,
        "agents_over_capacity": over_capacity,
        "agents_offline_after_phase_1": went_offline,
        "handoffs_measured": len(lateness),
        "handoff_lateness_p50_ms": _ms(_pct(lateness, 0.5)),
        "handoff_lateness_p99_ms": _ms(_pct(lateness, 0.99)),
        "redirects_per_s": round(args.redirects / redirect_s, 1),
        "server_cpu_cores_redirects": round(redirect_server_cpu, 2),
        "client_cpu_cores_redirects": round(redirect_client_cpu, 2),
        "mean_ingest_ms": _ms(statistics.fmean(latencies)) if latencies else None,
        # The machine's 1-minute load average when the run began and when it ended.
        "load_average_before_after": [load_before, round(os.getloadavg()[0], 2)],
        **({"push_path_ms": trace} if trace is not None else {}),
    }


# The server's stamps along a push's path (RELAYDESK_TRACE_PUSHES, relaydesk.server.pushes),
# after the client's send time and before its receive time: consecutive differences.
_SEGMENTS = [
    ("to_transaction", "sent", "began"),  # request read, parsed, waiting for the write lock
    ("transaction_work", "began", "worked"),  # the group's events routed (this and others)
    ("write_and_commit", "worked", "committed"),  # batched rows, pushes numbered, COMMIT
    ("to_hub", "committed", "delivered"),
    ("to_sender", "delivered", "sending"),  # the stream's task wakes
    ("to_client", "sending", "received"),  # WebSocket send, loopback, the client's receive
]


def _gc_pauses(server_log: list[str], slowest: list[dict[str, float]]) -> dict[str, Any]:
    """The server's garbage collections that paused it ≥ 2 ms (printed by the probe), and how
    many of the slowest 1 % of pushes had one within their path."""
    pauses = []
    for line in server_log:
        if line.startswith("RELAYDESK_GC_PAUSE "):
            _, at, seconds, generation = line.split()
            pauses.append((float(at), float(seconds), int(generation)))
    return {
        "count": len(pauses),
        "max_ms": _ms(max((p[1] for p in pauses), default=0.0)),
        "total_ms": _ms(sum(p[1] for p in pauses)),
        "by_generation": {g: sum(1 for p in pauses if p[2] == g) for g in (0, 1, 2)},
        "slowest_1pct_with_one": sum(
            1 for t in slowest if any(t["sent"] <= at <= t["received"] for at, _, _ in pauses)
        ),
    }


def _trace_segments(
    assigned: list[tuple[float, str, dict[str, Any]]],
    sent_by_handle: dict[str, float],
    began_at: float,
) -> dict[str, Any]:
    """Where an assignment push's latency went: p50/p99 of each segment over all pushes, and
    each segment's mean over the slowest 1 % of pushes (what makes the p99)."""
    paths = []
    for received, _, push in assigned:
        times = dict(push.get("_trace") or {})
        sent = sent_by_handle.get(push.get("contact_handle", ""))
        if sent is None or len(times) < 5:
            continue
        times.update(sent=sent, received=received)
        paths.append(times)
    paths.sort(key=lambda t: t["received"] - t["sent"])
    slowest = paths[-max(1, len(paths) // 100) :]
    figures: dict[str, Any] = {
        "pushes_traced": len(paths),
        # When the slowest were sent (s after phase 1 began): a burst, a pause, the warm-up?
        "slowest_1pct_sent_at_s": [round(t["sent"] - began_at, 2) for t in slowest],
    }
    figures["_slowest"] = slowest
    for name, start, end in _SEGMENTS:
        values = [t[end] - t[start] for t in paths]
        figures[name] = {
            "p50": _ms(_pct(values, 0.5)),
            "p99": _ms(_pct(values, 0.99)),
            "slowest_1pct_mean": _ms(statistics.fmean(t[end] - t[start] for t in slowest)),
        }
    return figures


def _new_customers(
    count: int, id_prefix: str, phone_prefix: str, ts: float, text: str,
    accounts: list[str], reporter: Any,
) -> list[tuple[str, dict[str, Any]]]:  # fmt: skip
    """``count`` new customers' first messages over the accounts in turn, each reported by a
    member of its account: (token, event)."""
    jobs = []
    for n in range(count):
        a = n % len(accounts)
        event = {
            "id": f"{id_prefix}{n}",
            "type": "customer_message",
            "account_id": accounts[a],
            "contact": {"handle": f"{phone_prefix}{n:07}"},
            "ts": ts + n,
            "text": text,
        }
        jobs.append((reporter(a, n), event))
    return jobs


async def _warm_up(
    http: httpx.AsyncClient,
    send: Any,
    team: dict[str, Any],
    reporter: Any,
    args: argparse.Namespace,
) -> None:
    """``--warmup N``: N other customers' first messages, sent as phase 1 will send them but not
    measured, then their conversations closed (no capacity taken from phase 1). What a server
    that has been running meets: its statements compiled, its caches and connections in use."""
    await send(
        _new_customers(args.warmup, "w", "+49", 500_000.0, "hello", team["accounts"], reporter)
    )
    rows = (
        await http.get("/v1/conversations", params={"limit": 1000}, headers=team["admin"])
    ).json()
    for row in rows:  # every conversation so far is a warm-up one
        if row["state"] != "closed":
            closed = await http.post(f"/v1/conversations/{row['id']}/close", headers=team["admin"])
            closed.raise_for_status()
    await asyncio.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--capacity", type=int, default=10)
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument("--handoff-customers", type=int, default=100)
    parser.add_argument("--redirects", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--client",
        choices=["raw", "httpx"],
        default="raw",
        help="how events and redirects are sent: pre-built requests on raw keep-alive "
        "connections (default, cheap) or httpx (as before; costs the server CPU it shares)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0.0,
        help="phase 1 in open loop: events sent at this many per second on a Poisson schedule "
        "(latencies at a fixed load below capacity) instead of --concurrency workstations "
        "each keeping one request in flight (the most the server takes)",
    )
    parser.add_argument(
        "--mixed",
        action="store_true",
        help="with --rate: send first messages and follow-ups as one stream (each customer's "
        "follow-up about a second after their first message, as customers write) instead of "
        "every first message, then every follow-up",
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="the server stamps each push along its path (RELAYDESK_TRACE_PUSHES=1): print "
        "where assignment pushes' latency goes (push_path_ms)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=0,
        metavar="N",
        help="before phase 1, N other customers' first messages sent the same way and not "
        "measured (their conversations then closed): the server as it runs after its first "
        "minutes, not in the first milliseconds after start",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--profile", metavar="OUT", help="sample the server with py-spy in phase 1, write OUT"
    )
    args = parser.parse_args()
    try:  # the client's own loop is cheaper on uvloop (installed with uvicorn[standard])
        import uvloop
    except ImportError:
        figures = asyncio.run(run(args))
    else:
        figures = uvloop.run(run(args))
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:>26}: {value}")


if __name__ == "__main__":
    main()
