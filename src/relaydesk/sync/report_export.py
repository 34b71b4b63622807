"""Writing the team reports out: one table to CSV, several to an XLSX workbook (openpyxl).

Plain Python, no Qt: the supervisor board builds ``ReportTable`` values from what it shows and
runs these on a worker thread. The workbook has one sheet per report with typed cells (numbers
as numbers, days as dates, hours as date-times, rates as percentages), the header row frozen,
an auto-filter and column widths fitted to the content, and for a report with a chart a native
Excel chart sheet next to it. Either file is written to a temporary file beside the target and
moved into place, so a failure (disk full, no permission) leaves no half-written file; it is
raised as ``ExportFailed`` with a sentence for the person who asked.
"""

from __future__ import annotations

import csv
import errno
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class Kind(StrEnum):
    """How a column's values are typed in the workbook."""

    TEXT = "text"
    COUNT = "count"  # a whole number
    NUMBER = "number"  # seconds, means: one decimal
    RATE = "rate"  # a fraction shown as a percentage
    DAY = "day"  # a date
    HOUR = "hour"  # a date and time


_FORMATS = {Kind.COUNT: "0", Kind.NUMBER: "0.0", Kind.RATE: "0.0%", Kind.DAY: "yyyy-mm-dd",
            Kind.HOUR: "yyyy-mm-dd hh:mm"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart of ``values`` (column indexes) against the categories of column ``category``."""

    title: str
    category: int
    values: tuple[int, ...]
    stacked: bool = False


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One report as shown: a name (the sheet's), its columns and rows, maybe a chart."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    chart: Chart | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. the period, under the table

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"{self.name}: a row of {len(row)} cells for "
                                 f"{len(self.columns)} columns")  # fmt: skip


class ExportFailed(Exception):
    """The report could not be written; ``str()`` is the sentence to show."""


def typed(value: Any, kind: Kind) -> Any:
    """The cell value for ``kind``: numbers as numbers, days and hours as dates (None stays
    empty; a value that does not parse is kept as text rather than lost)."""
    if value is None or value == "":
        return None
    try:
        if kind is Kind.COUNT:
            return int(value)
        if kind in (Kind.NUMBER, Kind.RATE):
            return float(value)
        if kind is Kind.DAY:
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if kind is Kind.HOUR:
            return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return str(value)
    return str(value)


def _text(value: Any, kind: Kind) -> str:
    cell = typed(value, kind)
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return f"{cell:.4f}".rstrip("0").rstrip(".") if kind is Kind.RATE else f"{cell:.1f}"
    return str(cell)


def write_csv(table: ReportTable, path: Path) -> int:
    """The table as CSV (UTF-8 with a byte-order mark, so Excel reads accents); rows written."""
    with _atomic(path, "w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow([c.title for c in table.columns])
        for row in table.rows:
            writer.writerow([_text(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
    return len(table.rows)


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = (name.translate(_SHEET_FORBIDDEN).strip() or "Report")[:SHEET_NAME_MAX]
    candidate, n = base, 2
    while candidate.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({n})"
        candidate, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def write_xlsx(tables: Sequence[ReportTable], path: Path) -> int:
    """One sheet per table (and a chart sheet for each table with a chart); sheets written."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if not tables:
        raise ValueError("nothing to export")
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_name(table.name, taken))
        sheet.append([c.title for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([typed(v, c.kind) for v, c in zip(row, table.columns, strict=True)])
        for index, column in enumerate(table.columns, start=1):
            if column.kind in _FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = _FORMATS[column.kind]
            width = max([len(column.title), *(len(_text(r[index - 1], column.kind))
                                              for r in table.rows)])  # fmt: skip
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
        if table.rows:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        for offset, note in enumerate(table.notes):
            sheet.cell(row=len(table.rows) + 3 + offset, column=1, value=note)
        if table.chart is not None and table.rows:
            spec = table.chart
            chart = BarChart()
            chart.title = spec.title
            if spec.stacked:
                chart.grouping, chart.overlap = "stacked", 100
            for value in spec.values:
                data = Reference(sheet, min_col=value + 1, min_row=1,
                                 max_row=len(table.rows) + 1)  # fmt: skip
                chart.add_data(data, titles_from_data=True)
            chart.set_categories(
                Reference(sheet, min_col=spec.category + 1, min_row=2, max_row=len(table.rows) + 1)
            )
            chart_sheet = book.create_chartsheet(sheet_name(f"{sheet.title} chart", taken))
            chart_sheet.add_chart(chart)
    with _atomic(path, "wb") as stream:
        book.save(stream)
    return len(tables)


def failure_sentence(error: OSError, path: Path) -> str:
    """What went wrong, said for a person: a full disk, a refused permission, a missing folder."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"The disk is full: {path} was not written."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"No permission to write {path}."
    if error.errno == errno.ENOENT:
        return f"The folder {path.parent} does not exist."
    if error.errno == errno.EISDIR:
        return f"{path} is a folder."
    return f"{path} was not written: {error.strerror or error}."


@contextmanager
def _atomic(path: Path, mode: str, **options: Any) -> Iterator[IO[Any]]:
    """A temporary file beside ``path``, moved over it once complete (removed on failure)."""
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ExportFailed(failure_sentence(error, path)) from error
    try:
        with os.fdopen(handle, mode, **options) as stream:
            yield stream
        os.replace(temporary, path)
    except OSError as error:
        with suppress(OSError):
            os.unlink(temporary)
        raise ExportFailed(failure_sentence(error, path)) from error
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def writer_for(path: Path) -> Callable[[Sequence[ReportTable], Path], int]:
    """The writer a file name asks for: ``.xlsx`` a workbook of every table, else CSV of the
    first (a CSV file holds one table)."""
    if Path(path).suffix.casefold() == ".xlsx":
        return write_xlsx
    return lambda tables, target: write_csv(tables[0], target)
