"""``relaydesk-sandbox`` as a person runs it: bad input is one sentence, the server serves."""

from __future__ import annotations

import subprocess
import sys
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
