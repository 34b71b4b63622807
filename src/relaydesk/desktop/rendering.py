"""Which backend draws the web views: the graphics card, or Qt's software renderer.

Qt WebEngine hands each page's frames to Qt Quick, which draws them on the UI thread. Where
OpenGL exists only as a CPU emulation (llvmpipe and friends: Xvfb, remote desktops, virtual
machines, computers without a GPU driver), every frame then costs the UI thread tens of
milliseconds and the app lags under load (docs/desktop.md: p99 85–207 ms). Qt's software
scene graph draws the same frames with plain QPainter, several times cheaper there. So on Linux
the OpenGL renderer is probed once at start and a software one means the software backend;
``software_rendering`` in the settings forces it anywhere.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtGui import QOffscreenSurface, QOpenGLContext
from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

# GL_RENDERER strings of OpenGL implementations that run on the CPU.
_SOFTWARE_GL = (
    "llvmpipe",
    "softpipe",
    "swrast",
    "software rasterizer",
    "swiftshader",
    "gdi generic",
    "microsoft basic render",
)
_GL_RENDERER = 0x1F01


def is_software_renderer(renderer: str) -> bool:
    """Whether an OpenGL ``GL_RENDERER`` string names a CPU emulation."""
    name = renderer.lower()
    return any(marker in name for marker in _SOFTWARE_GL)


def opengl_renderer() -> str | None:
    """The ``GL_RENDERER`` of the default OpenGL context (needs the QGuiApplication), or None
    when there is no OpenGL at all. About 30 ms with llvmpipe."""
    context = QOpenGLContext()
    if not context.create():
        return None
    surface = QOffscreenSurface()
    surface.setFormat(context.format())
    surface.create()
    try:
        if not context.makeCurrent(surface):
            return None
        renderer = context.functions().glGetString(_GL_RENDERER)
        context.doneCurrent()
        return str(renderer) if renderer else None
    finally:
        surface.destroy()


def choose_rendering(force_software: bool = False) -> str:
    """Pick the scene-graph backend before the first web view exists; returns what was chosen:
    ``environment`` (QT_QUICK_BACKEND / QSG_RHI_BACKEND set by the user win), ``software`` or
    ``default`` (the platform's hardware path)."""
    if os.environ.get("QT_QUICK_BACKEND") or os.environ.get("QSG_RHI_BACKEND"):
        return "environment"
    # Elsewhere Qt draws through Direct3D or Metal, whose software fallbacks Qt picks itself.
    probe = sys.platform.startswith("linux")
    if force_software or (probe and is_software_renderer(opengl_renderer() or "")):
        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
        return "software"
    return "default"
