"""The Qt side of a recipe: inject it into a page's isolated world and relay its events.

An adapter only (qutebrowser's webenginetab style): JSON arrives from the recipe through
QWebChannel, becomes a plain-Python event (``relaydesk.platforms.events``) and leaves as a Qt
signal; commands go back as JSON. The recipe, the bridge object and qwebchannel.js live in
``QWebEngineScript.ApplicationWorld``, so the page's own scripts never see a ``qt`` object.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QFile, QIODevice, QObject, Signal, SignalInstance, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from relaydesk.platforms import commands
from relaydesk.platforms.events import EventError, parse_event
from relaydesk.platforms.resources import recipe_source

log = logging.getLogger(__name__)

BRIDGE_NAME = "relaydesk"  # the name the recipe looks up on the channel
SCRIPT_NAME = "relaydesk-recipe"


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    """True where ``SignalInstance.emit`` returns its bool without a reference (PySide6 6.12.0).

    Measured on this machine: each emit from Python takes one reference from ``True``; after a few
    thousand emits Python frees ``True`` and aborts ("bool_dealloc"). Measured, not version-matched,
    so a fixed PySide6 needs no change here.
    """
    probe = _Probe()
    send: Any = probe.ping.emit  # typed as returning None, which is what is in question
    before = sys.getrefcount(True)
    results = [send() for _ in range(64)]
    dropped = before - sys.getrefcount(True) + len([r for r in results if r is True])
    for _ in range(max(0, dropped)):  # give back what the probe itself took
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return dropped >= 48


_COMPENSATE = _emit_drops_a_reference()


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, giving back the reference PySide6 6.12.0 takes from True/False.

    Every signal this module emits goes through here; the desktop's own signals need the same.
    """
    send: Any = signal.emit
    result = send(*args)
    if _COMPENSATE and isinstance(result, bool):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))


def qwebchannel_js() -> str:
    """The QWebChannel client shipped inside Qt (``:/qtwebchannel/qwebchannel.js``)."""
    resource = QFile(":/qtwebchannel/qwebchannel.js")
    if not resource.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt WebChannel's qwebchannel.js resource is missing from this Qt build")
    try:
        return bytes(resource.readAll().data()).decode("utf-8")
    finally:
        resource.close()


class RecipeBridge(QObject):
    """One page's recipe: ``recipe_event`` carries each parsed event; bad messages are dropped."""

    # Not named ``event``: that would shadow QObject.event(), which Qt calls for every QEvent.
    recipe_event = Signal(object)  # a relaydesk.platforms.events.RecipeEvent
    command = Signal(str)  # JSON for the recipe; the recipe connects to it through the channel

    def __init__(self, platform_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.platform_id = platform_id
        self.rejected = 0  # messages that were not well-formed events

    @Slot(str)
    def post(self, message: str) -> None:
        """Called by the recipe with one JSON event."""
        try:
            parsed = parse_event(self.platform_id, message)
        except EventError as error:
            self.rejected += 1
            log.warning("%s recipe sent a bad event: %s", self.platform_id, error)
            return
        emit(self.recipe_event, parsed)

    def show_translation(self, message_key: str, text: str) -> None:
        emit(self.command, commands.show_translation(message_key, text))

    def fill_compose(self, text: str) -> None:
        emit(self.command, commands.fill_compose(text))

    def open_chat(self, chat_key: str) -> None:
        emit(self.command, commands.open_chat(chat_key))

    def show_banner(self, text: str) -> None:
        emit(self.command, commands.show_banner(text))


def install_recipe(
    page: QWebEnginePage, platform_id: str, config: Mapping[str, object] | None = None
) -> RecipeBridge:
    """Inject ``platform_id``'s recipe into ``page`` (for every load) and return its bridge.

    Call before loading the page. ``config`` overrides recipe settings such as
    ``health_timeout_ms`` (tests use a short one).
    """
    bridge = RecipeBridge(platform_id, page)
    channel = QWebChannel(page)
    channel.registerObject(BRIDGE_NAME, bridge)
    page.setWebChannel(channel, QWebEngineScript.ScriptWorldId.ApplicationWorld)

    for installed in page.scripts().find(SCRIPT_NAME):  # installing again replaces the recipe
        page.scripts().remove(installed)
    script = QWebEngineScript()
    script.setName(SCRIPT_NAME)
    script.setWorldId(QWebEngineScript.ScriptWorldId.ApplicationWorld)
    # The injection point must be set before the source: @run-at tags are parsed on setSourceCode.
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentReady)
    script.setRunsOnSubFrames(False)
    script.setSourceCode(qwebchannel_js() + "\n" + recipe_source(platform_id, config))
    page.scripts().insert(script)
    return bridge
