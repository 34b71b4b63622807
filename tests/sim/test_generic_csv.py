"""The documented generic CSV: ISO or Unix arrival times, optional columns, named bad lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from relaydesk.sim.trace import TraceError, read_trace

HEADER = "arrival,contact_id,priority,skill,language,service_s,patience_s,agent"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "trace.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_become_contacts_in_arrival_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "\n"
        "2024-03-04T09:15:00,+34600111222,2,billing,es,240,,ana\n"
        "1709543000,0,0,sales,,60.5,30,\n",
    )
    first, second = read_trace(path).contacts
    assert first.arrival == 1709543000
    assert first.customer_id is None  # 0 = unidentified
    assert first.patience_s == 30
    assert first.agent_id is None
    assert second.arrival == 1709543700  # 2024-03-04 09:15 read as UTC
    assert (second.customer_id, second.priority, second.skill) == ("+34600111222", 2, "billing")
    assert (second.language, second.service_s, second.agent_id) == ("es", 240, "ana")
    assert second.patience_s is None  # waits as long as it takes


def test_offset_in_iso_time_is_honoured(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "\n2024-03-04T10:15:00+01:00,c1,1,,,60,,\n")
    (contact,) = read_trace(path).contacts
    assert contact.arrival == 1709543700


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("yesterday,c1,1,,,60,,\n", "line 2: arrival 'yesterday' is neither"),
        ("1709543000,c1,1,,,60,,\n1709543000,c2,x,,,60,,\n", "line 3: priority 'x'"),
        ("1709543000,c1,1,,,-5,,\n", "line 2: service_s '-5'"),
        ("1709543000,c1,1\n", "line 2: expected 8 fields"),
        ("", "holds no contacts"),
    ],
)
def test_bad_rows_are_named_by_line(tmp_path: Path, body: str, expected: str) -> None:
    with pytest.raises(TraceError, match=expected):
        read_trace(_write(tmp_path, HEADER + "\n" + body))


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "arrival,contact_id,priority\n1709543000,c1,1\n")
    with pytest.raises(TraceError, match=r"trace\.csv, line 1: missing column.*service_s"):
        read_trace(path)


def test_missing_file_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(TraceError, match="no such file"):
        read_trace(tmp_path / "absent.csv")
    with pytest.raises(TraceError, match="is empty"):
        read_trace(_write(tmp_path, ""))
