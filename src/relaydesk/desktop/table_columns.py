"""Column widths of the board's tables: each column as wide as its header and cells, plus room.

``QTableWidget.resizeColumnsToContents`` sizes a header by its font's metrics with the style
sheet's narrow margins; Chinese headers ("回复") then lose their last glyph, and names touch the
grid. A few pixels more per column keep every header and cell whole in both themes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

SPARE_PX = 14  # about one CJK glyph at the default size


def fit_columns(table: QTableWidget, spare: int = SPARE_PX) -> None:
    """Size every column to its header and cells, then give it ``spare`` pixels more."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount()):
        table.setColumnWidth(column, table.columnWidth(column) + spare)
