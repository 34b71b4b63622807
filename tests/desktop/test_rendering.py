"""The app draws web views in software where OpenGL is only a CPU emulation, else as Qt does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from relaydesk.desktop.rendering import is_software_renderer

pytestmark = pytest.mark.qt

PROBE = """
from PySide6.QtQuick import QQuickWindow
from relaydesk.desktop.app import make_application
from relaydesk.desktop.rendering import opengl_renderer
app = make_application(["probe"])
print(app.property("relaydeskRendering"))
print(QQuickWindow.sceneGraphBackend() or "default")
print(opengl_renderer())
"""


def test_cpu_emulations_of_opengl_are_recognised() -> None:
    assert is_software_renderer("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert is_software_renderer("Mesa Software Rasterizer")
    assert is_software_renderer("Google SwiftShader")
    assert not is_software_renderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)")
    assert not is_software_renderer("NVIDIA GeForce RTX 3060/PCIe/SSE2")
    assert not is_software_renderer("")


def probe(**env: str) -> list[str]:
    """A fresh app process (the backend is chosen once, before the first web view)."""
    ours = ("QT_QUICK_BACKEND", "QSG_RHI_BACKEND")
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True, text=True, timeout=60, check=True, env={**clean, **env},
    )
    return done.stdout.strip().splitlines()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the probe runs on Linux only")
def test_the_app_picks_software_drawing_exactly_when_opengl_is_emulated() -> None:
    choice, backend, renderer = probe()
    if is_software_renderer(renderer):  # Xvfb, CI: Mesa's llvmpipe
        assert (choice, backend) == ("software", "software")
    else:
        assert (choice, backend) == ("default", "default")


def test_the_users_own_backend_choice_wins() -> None:
    choice, backend, _renderer = probe(QSG_RHI_BACKEND="opengl")
    assert (choice, backend) == ("environment", "default")
    choice, _api, _renderer = probe(QT_QUICK_BACKEND="software")
    assert choice == "environment"
