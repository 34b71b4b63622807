"""Report export: CSV and an XLSX workbook read back with openpyxl (typed cells, frozen header,
widths, a native chart sheet), failures told as sentences, nothing half-written left behind."""

from __future__ import annotations

import csv
import errno
import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from relaydesk.sync import report_export
from relaydesk.sync.report_export import ExportFailed, ReportTable, write_csv, write_xlsx
from relaydesk.sync.reports import Period, Reports, intake_table, links_table, tables

INTAKE_BY_DAY = {"rows": [
    {"key": "2026-11-29", "new": 12, "returning": 3, "total": 15, "name": "2026-11-29"},
    {"key": "2026-11-30", "new": 7, "returning": 0, "total": 7, "name": "2026-11-30"},
]}  # fmt: skip
SERVICE = {"agents": [
    {"agent_id": "a1", "login": "ana", "conversations": 9, "first_reply_median_s": 41.5,
     "first_reply_mean_s": 50.25, "wait_median_s": 3.0, "handoffs_in": 1, "handoffs_out": 0,
     "collisions": 0},
    {"agent_id": "b1", "login": "ben", "conversations": 0, "first_reply_median_s": None,
     "first_reply_mean_s": None, "wait_median_s": None, "handoffs_in": 0, "handoffs_out": 2,
     "collisions": 1},
]}  # fmt: skip
LINKS = {"links": [
    {"link_id": "l1", "slug": "spring/sale", "code": "A7KD", "clicks": 120, "visitors": 100,
     "clicks_unanswered": 4, "intakes_new": 40, "intakes_returning": 5, "intakes": 45,
     "conversations": 45, "first_replies": 44, "closed": 30, "intake_rate": 0.45,
     "reply_rate": 0.9778, "close_rate": 0.6667, "first_reply_median_s": 35.0},
]}  # fmt: skip


def _reports() -> Reports:
    period = Period(datetime(2026, 11, 29, tzinfo=UTC).timestamp(),
                    datetime(2026, 12, 1, tzinfo=UTC).timestamp(), "UTC")  # fmt: skip
    return Reports(period, "day", INTAKE_BY_DAY, SERVICE, LINKS)


def test_the_workbook_has_a_sheet_per_report_with_typed_cells_and_a_frozen_header(
    tmp_path: Path,
) -> None:
    path = tmp_path / "reports.xlsx"
    assert write_xlsx(tables(_reports()), path) == 3
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Intake", "Intake chart", "Service", "Service chart", "Links", "Links chart",
    ]  # fmt: skip
    intake = book["Intake"]
    assert [c.value for c in intake[1]] == ["Day", "New", "Returning", "Total"]
    assert intake.freeze_panes == "A2"
    assert intake["A2"].value == datetime(2026, 11, 29)  # a date cell, not text
    assert intake["A2"].is_date and intake["A2"].number_format == "yyyy-mm-dd"
    assert (intake["B2"].value, intake["C2"].value, intake["D3"].value) == (12, 3, 7)
    assert intake["B2"].data_type == "n"
    assert intake.column_dimensions["A"].width >= len("2026-11-29")
    assert intake["A5"].value.startswith("Period: ")  # the note under the table
    service = book["Service"]
    assert service["C2"].value == 41.5 and service["C3"].value is None  # empty, not "None"
    links = book["Links"]
    header = [c.value for c in links[1]]
    rate = links.cell(row=2, column=header.index("Reply rate") + 1)
    assert rate.value == pytest.approx(0.9778) and rate.number_format == "0.0%"
    assert links["A2"].value == "spring/sale"
    assert links.auto_filter.ref == "A1:N2"
    chart_sheet = book["Links chart"]
    [chart] = chart_sheet._charts
    assert chart.tagname == "barChart" and len(chart.series) == 5


def test_csv_has_the_shown_table_and_reads_in_excel_with_accents(tmp_path: Path) -> None:
    path = tmp_path / "links.csv"
    table = links_table(LINKS, title=lambda text: "Enlace" if text == "Link" else text)
    assert write_csv(table, path) == 1
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["Enlace", "Code", "Clicks"]
    assert rows[1][:3] == ["spring/sale", "A7KD", "120"]
    assert rows[1][rows[0].index("Reply rate")] == "0.9778"


def test_hours_are_date_times_and_odd_sheet_names_are_made_valid(tmp_path: Path) -> None:
    by_hour = {"rows": [{"key": "2026-11-30T09:00", "new": 2, "returning": 1, "total": 3}]}
    table = intake_table(by_hour, "hour")
    named = ReportTable("Intake: by [hour]?", table.columns, table.rows)
    path = tmp_path / "hours.xlsx"
    write_xlsx([named, named], path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Intake  by  hour", "Intake  by  hour (2)"]
    cell = book.worksheets[0]["A2"]
    assert cell.value == datetime(2026, 11, 30, 9, 0) and cell.number_format == "yyyy-mm-dd hh:mm"


def test_a_failure_is_a_sentence_and_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "reports.xlsx"
    target.write_bytes(b"the previous export")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(report_export.os, "replace", full_disk)
    with pytest.raises(ExportFailed, match="The disk is full"):
        write_xlsx(tables(_reports()), target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports.xlsx"]  # no temporary left


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_folder_without_permission_is_told(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ExportFailed, match="No permission to write"):
            write_csv(intake_table(INTAKE_BY_DAY, "day"), locked / "intake.csv")
    finally:
        locked.chmod(0o700)


def test_a_refused_permission_is_told(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(**_kw: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(report_export.tempfile, "mkstemp", refused)
    with pytest.raises(ExportFailed, match="No permission to write"):
        write_xlsx(tables(_reports()), tmp_path / "reports.xlsx")


def test_a_missing_folder_is_told(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="does not exist"):
        write_csv(intake_table(INTAKE_BY_DAY, "day"), tmp_path / "nowhere" / "intake.csv")


def test_a_day_the_server_gave_oddly_stays_as_text_rather_than_lost() -> None:
    assert report_export.typed("not a day", report_export.Kind.DAY) == "not a day"
    assert report_export.typed("2026-11-30", report_export.Kind.DAY) == date(2026, 11, 30)


def test_by_day_or_hour_the_quiet_ones_show_as_zero_across_a_dst_change() -> None:
    madrid = ZoneInfo("Europe/Madrid")
    start = datetime(2026, 3, 28, tzinfo=madrid).timestamp()
    end = datetime(2026, 3, 31, tzinfo=madrid).timestamp()
    period = Period(start, end, "Europe/Madrid")
    report = {"rows": [{"key": "2026-03-29", "new": 4, "returning": 1, "total": 5}]}
    by_day = intake_table(report, "day", period=period)
    assert [(r[0], r[3]) for r in by_day.rows] == [
        ("2026-03-28", 0), ("2026-03-29", 5), ("2026-03-30", 0),
    ]  # fmt: skip
    by_hour = intake_table({"rows": []}, "hour", period=period)
    names = [r[0] for r in by_hour.rows]
    assert len(names) == 24 + 23 + 24  # the spring night has no 02:00
    assert "2026-03-29T02:00" not in names and "2026-03-29T03:00" in names
