"""Render resources/icons/relaydesk.svg into the icon files the bundles need.

    python installer/make_icons.py ico OUT.ico        # Windows (16–256 px in one file)
    python installer/make_icons.py iconset OUT.iconset # macOS: then `iconutil -c icns OUT.iconset`

Rendered with Qt's SVG renderer (PySide6), so no other image tool is needed on the build machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parents[1] / "resources" / "icons" / "relaydesk.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICONSET = {  # Apple's iconset names
    "icon_16x16.png": 16,
    "icon_16x16@2x.png": 32,
    "icon_32x32.png": 32,
    "icon_32x32@2x.png": 64,
    "icon_128x128.png": 128,
    "icon_128x128@2x.png": 256,
    "icon_256x256.png": 256,
    "icon_256x256@2x.png": 512,
    "icon_512x512.png": 512,
    "icon_512x512@2x.png": 1024,
}


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(pngs: dict[int, bytes], out: Path) -> None:
    """An .ico of PNG entries (Windows Vista and later read PNG-compressed icons)."""
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(pngs).to_bytes(2, "little")
    entries = b""
    offset = 6 + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += (
            bytes([side, side, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little")
        )
        entries += len(png).to_bytes(4, "little") + offset.to_bytes(4, "little")
        offset += len(png)
    out.write_bytes(header + entries + b"".join(png for _, png in sorted(pngs.items())))


def main(kind: str, out: Path) -> int:
    app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"make_icons: cannot read {SVG}")
    if kind == "ico":
        out.parent.mkdir(parents=True, exist_ok=True)
        write_ico({size: render(renderer, size) for size in ICO_SIZES}, out)
    elif kind == "iconset":
        out.mkdir(parents=True, exist_ok=True)
        for name, size in ICONSET.items():
            (out / name).write_bytes(render(renderer, size))
    else:
        sys.exit(__doc__)
    del app
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
