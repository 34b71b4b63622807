"""``relaydesk-sandbox`` as a person runs it: bad input is one sentence, the server serves."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from relaydesk.sandbox.background import BackgroundSandbox


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relaydesk.sandbox.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "--host must be a loopback address"),
        (["--rate", "fast"], "'fast' is not a number of messages a minute"),
        (["--port", "99999"], "'99999' is not a port number"),
        (["--returning", "2"], "--returning must be between 0 and 1"),
    ],
)
def test_bad_options_are_a_sentence(args: list[str], message: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_busy_port_is_named() -> None:
    with BackgroundSandbox() as busy:
        port = busy.url.rsplit(":", 1)[1]
        done = run("--port", port)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr


def test_customers_arrive_once_the_rate_is_raised_through_the_api() -> None:
    with BackgroundSandbox() as sandbox:  # rate 0: nobody writes
        assert sandbox.call("GET", "/api/customers") == {"rate": 0.0, "returning": 0.4}
        assert sandbox.call("POST", "/api/customers", {"rate": 6000, "returning": 0.5}) == {
            "rate": 6000.0,
            "returning": 0.5,
        }
        deadline = time.monotonic() + 20
        total = 0
        while time.monotonic() < deadline and total < 3:
            time.sleep(0.2)
            total = sum(
                len(sandbox.call("GET", f"/api/{page}/state")["chats"])
                for page in sandbox.call("GET", "/api/pages")
            )
        with urllib.request.urlopen(sandbox.url + "/whatsapp/", timeout=10) as page:
            assert b"pane-side" in page.read()
    assert total >= 3


def test_ctrl_c_answers_a_held_state_request_and_stops_cleanly() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "relaydesk.sandbox.cli", "--port", str(port), "--rate", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/api/generic/state"
    answers: list[dict] = []
    try:
        deadline = time.monotonic() + 30
        while not answers and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(url, timeout=5) as first:
                    answers.append(json.loads(first.read()))
            time.sleep(0.1)
        [first_state] = answers
        version = first_state["version"]

        def hold() -> None:
            with urllib.request.urlopen(f"{url}?after={version}&wait=20", timeout=40) as held:
                answers.append(json.loads(held.read()))

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        time.sleep(1.0)  # the request reaches the server and is held
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        holder.join(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0 and "Traceback" not in stderr, stderr
    assert [state["version"] for state in answers] == [version, version]
