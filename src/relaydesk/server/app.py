"""The app factory: ``create_app(settings)`` builds the team server's ASGI app.

On start it applies the migrations, then starts the deadline scheduler and the writers of
heartbeats and clicks; on stop it writes what those still hold, cancels the scheduler and closes
the database pool.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from relaydesk import __version__
from relaydesk.server import anomalies, scheduler
from relaydesk.server.api import admin, auth, conversations, links, reports, rules, stream, work
from relaydesk.server.api import anomalies as anomalies_api
from relaydesk.server.api import contacts as contacts_api
from relaydesk.server.api import shifts as shifts_api
from relaydesk.server.api import waiting as waiting_api
from relaydesk.server.api import workload as workload_api
from relaydesk.server.db import make_engine, make_sessionmaker, migrate
from relaydesk.server.errors import BodySizeLimit, install_error_handlers
from relaydesk.server.fanout import Listener
from relaydesk.server.fast_events import EventsFastPath
from relaydesk.server.security import LoginThrottle
from relaydesk.server.settings import ServerSettings
from relaydesk.server.state import ServerState


def create_app(settings: ServerSettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        state = ServerState(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            throttle=LoginThrottle(settings.login_failures_allowed, settings.login_window_s),
        )
        app.state.relaydesk = state
        listener = None
        if state.is_postgres:  # pushes written by other processes reach this one's streams
            listener = Listener(settings.database_url, state.sessions, state.hub, state.caches)
            await listener.start()
        task = asyncio.create_task(scheduler.run(state)) if settings.run_scheduler else None
        writers = [
            asyncio.create_task(state.heartbeats.run(state)),
            asyncio.create_task(state.redirects.run(state)),
        ]
        # With the check off (0) it still clears the first messages' texts when they are old.
        writers.append(asyncio.create_task(anomalies.run(state, settings.anomaly_check_s)))
        try:
            yield
        finally:
            for writer in writers:
                writer.cancel()
            await asyncio.gather(*writers, return_exceptions=True)
            # A clean stop loses nothing kept in memory: beats and clicks are written now.
            await state.heartbeats.close(state)
            await state.redirects.close(state)
            if listener is not None:
                await listener.stop()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await engine.dispose()

    app = FastAPI(title="Relaydesk team server", version=__version__, lifespan=lifespan)
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for module in (auth, admin, rules, work, conversations, stream, links, reports, contacts_api):
        app.include_router(module.router)
    app.include_router(shifts_api.router)
    app.include_router(workload_api.router)
    app.include_router(waiting_api.router)
    app.include_router(anomalies_api.router)
    # Inside the size limit (added later = further out): POST /v1/events below the routing.
    app.add_middleware(EventsFastPath)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    return app
