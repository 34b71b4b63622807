"""A LibreTranslate-compatible translator on loopback, for tests and benchmarks.

It speaks LibreTranslate's ``POST /translate``, ``GET /languages`` and ``POST /detect``,
MyMemory's ``GET /get?q=&langpair=`` and Google's mobile page ``GET /m?sl=&tl=&q=``, so
deep-translator's real classes talk to it unchanged. Its translations are reversible: a small
phrasebook, otherwise the text marked with the target language (``⟦es⟧ text``), which
translating back removes. Latency and failures are injectable.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

PHRASES = {
    ("en", "es"): {"hello": "hola", "thank you": "gracias", "good morning": "buenos días"},
    ("en", "zh"): {"hello": "你好", "thank you": "谢谢"},
    ("en", "ar"): {"hello": "مرحبا", "thank you": "شكرا"},
}
LANGUAGES = ("en", "es", "zh", "ar", "fr", "de")


def translate_text(text: str, source: str, target: str) -> str:
    """The server's deterministic, reversible translation."""
    if source == target:
        return text
    phrase = PHRASES.get((source, target), {}).get(text.lower())
    if phrase is not None:
        return phrase
    for (first, second), phrases in PHRASES.items():
        if (second, first) == (source, target):
            for original, translated in phrases.items():
                if translated == text:
                    return original
    marker = f"⟦{source}⟧ "
    if text.startswith(marker):
        return text[len(marker) :]
    return f"⟦{target}⟧ {text}"


@dataclass
class TranslatorBehaviour:
    """What the server does: its delay, and which requests it fails and how."""

    latency: float = 0.0
    fail_status: int = 500
    fail_next: int = 0
    fail_texts: set[str] = field(default_factory=set)
    required_key: str | None = None
    requests: int = 0
    concurrent: int = 0
    max_concurrent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self) -> None:
        with self.lock:
            self.requests += 1
            self.concurrent += 1
            self.max_concurrent = max(self.max_concurrent, self.concurrent)

    def leave(self) -> None:
        with self.lock:
            self.concurrent -= 1

    def should_fail(self, text: str) -> bool:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                return True
        return text in self.fail_texts


class _Handler(BaseHTTPRequestHandler):
    server: _TranslatorServer

    def log_message(self, *_args: object) -> None:
        pass

    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length).decode("utf-8")
            if self.headers.get("Content-Type", "").startswith("application/json"):
                fields.update(json.loads(body))
            else:
                fields.update({k: v[0] for k, v in parse_qs(body).items()})
        return fields

    def _answer(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        if path == "/languages":
            self._answer(
                200, [{"code": c, "name": c, "targets": list(LANGUAGES)} for c in LANGUAGES]
            )
        elif path == "/get":
            self._serve(self._mymemory)
        elif path == "/m":
            self._serve(self._google_page)
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        path = urlparse(self.path).path
        if path == "/translate":
            self._serve(self._libre_translate)
        elif path == "/detect":
            text = str(self._fields().get("q", ""))
            language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
            self._answer(200, [{"confidence": 90.0, "language": language}])
        else:
            self._answer(404, {"error": "not found"})

    def _serve(self, respond: Any) -> None:
        behaviour = self.server.behaviour
        behaviour.enter()
        try:
            if behaviour.latency:
                time.sleep(behaviour.latency)
            respond(self._fields())
        finally:
            behaviour.leave()

    def _libre_translate(self, fields: dict[str, Any]) -> None:
        behaviour = self.server.behaviour
        if behaviour.required_key is not None and fields.get("api_key") != behaviour.required_key:
            self._answer(403, {"error": "Invalid API key"})
            return
        texts = fields.get("q", "")
        batch = texts if isinstance(texts, list) else [texts]
        if any(behaviour.should_fail(str(text)) for text in batch):
            self._answer(behaviour.fail_status, {"error": "injected failure"})
            return
        source, target = str(fields.get("source", "auto")), str(fields.get("target", "en"))
        if source == "auto":
            source = "en"
        translated = [translate_text(str(text), source, target) for text in batch]
        self._answer(
            200, {"translatedText": translated if isinstance(texts, list) else translated[0]}
        )

    def _mymemory(self, fields: dict[str, Any]) -> None:
        behaviour = self.server.behaviour
        text = str(fields.get("q", ""))
        if behaviour.should_fail(text):
            self._answer(behaviour.fail_status, {"responseStatus": behaviour.fail_status})
            return
        source, _, target = str(fields.get("langpair", "en|es")).partition("|")
        translation = translate_text(text, source.split("-")[0], target.split("-")[0])
        self._answer(200, {"responseData": {"translatedText": translation}, "matches": []})

    def _google_page(self, fields: dict[str, Any]) -> None:
        """Google's mobile page as deep-translator reads it: the text in a result container."""
        behaviour = self.server.behaviour
        text = str(fields.get("q", ""))
        if behaviour.should_fail(text):
            self._answer(behaviour.fail_status, {"error": "injected failure"})
            return
        source = str(fields.get("sl", "auto")).split("-")[0]
        source = "en" if source == "auto" else source
        translation = translate_text(text, source, str(fields.get("tl", "en")).split("-")[0])
        body = (
            '<html><body><div class="result-container">'
            f"{html.escape(translation)}</div></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _TranslatorServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections beyond it (the client retries after
    # a second); a real LibreTranslate behind gunicorn or waitress accepts far more.
    request_queue_size = 128

    def __init__(self, behaviour: TranslatorBehaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviour = behaviour


@dataclass
class RunningTranslator:
    url: str
    behaviour: TranslatorBehaviour


@contextmanager
def running_translator(latency: float = 0.0) -> Iterator[RunningTranslator]:
    """Serve on 127.0.0.1 (a free port) in a thread until the block ends."""
    behaviour = TranslatorBehaviour(latency=latency)
    server = _TranslatorServer(behaviour)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield RunningTranslator(f"http://127.0.0.1:{server.server_address[1]}/", behaviour)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main() -> None:
    """Serve in this process until stdin closes (benchmarks run it apart from the client, so
    the server's threads do not compete with the client's event loop for the GIL)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="loopback LibreTranslate-compatible translator")
    parser.add_argument("--latency", type=float, default=0.0, help="delay per request, s")
    args = parser.parse_args()
    with running_translator(latency=args.latency) as running:
        print(running.url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
