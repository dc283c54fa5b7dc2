"""CSV and XLSX in and out: row numbers, header names, and clear refusals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tact.core.datafiles import DataError
from tact.core.tabular import read_rows, write_rows


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_csv_rows_keep_spreadsheet_row_numbers_and_normalise_headers() -> None:
    data = b"Name; Max. meetings ;Role\nAlpha GmbH;5;OEM\n;;\nBeta AG; 3 ;supplier\n"
    rows = read_rows(data, "people.csv", required=["name", "max_meetings"])
    assert [r.number for r in rows] == [2, 4]
    assert rows[1].values == {"name": "Beta AG", "max_meetings": "3", "role": "supplier"}
    assert rows[0].record == "row 2"


def test_csv_with_bom_and_commas() -> None:
    rows = read_rows('\ufeffname,city\n"Müller, Söhne",Zürich\n'.encode(), "x.csv")
    assert rows[0].values == {"name": "Müller, Söhne", "city": "Zürich"}


def test_xlsx_rows_with_numbers_and_dates() -> None:
    data = xlsx([["Name", "Count", "Day"], ["Alpha", 3, dt.date(2026, 5, 4)], [None, None, None]])
    rows = read_rows(data, "x.xlsx")
    assert rows == [rows[0]]
    assert rows[0].values == {"name": "Alpha", "count": "3", "day": "2026-05-04"}
    assert rows[0].number == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        (b"a,b\n1,2\n", "a.pdf", "unknown file type"),
        (b"\xff\xfe\x00a", "a.csv", "not UTF-8"),
        (b"not a zip", "a.xlsx", "not a readable XLSX"),
        (b"name,name\nx,y\n", "a.csv", "appears twice"),
        (b"name\nx,y\n", "a.csv", "more cells than header"),
        (b"role\nOEM\n", "a.csv", "required column missing"),
    ],
)
def test_bad_files_are_refused_with_the_reason(data: bytes, name: str, message: str) -> None:
    with pytest.raises(DataError) as info:
        read_rows(data, name, required=["name"] if "required" in message else [])
    assert message in str(info.value)
    assert name in str(info.value)


def test_write_csv_and_xlsx_round_trip_and_defuse_formulas() -> None:
    rows = [
        {"name": '=HYPERLINK("x")', "n": 3, "tags": ["a", "b"], "when": dt.date(2026, 1, 2)},
        {"name": "Beta", "n": -2.5, "tags": [], "when": None},
    ]
    columns = ["name", "n", "tags", "when"]
    csv_bytes = write_rows(columns, rows, "csv")
    assert csv_bytes.startswith("\ufeff".encode())
    back = read_rows(csv_bytes, "out.csv")
    assert back[0].values == {
        "name": '\'=HYPERLINK("x")',
        "n": "3",
        "tags": "a; b",
        "when": "2026-01-02",
    }
    assert back[1].values["n"] == "-2.5"
    book = load_workbook(io.BytesIO(write_rows(columns, rows, "xlsx")))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert cells[0] == columns
    assert cells[1][0].startswith("'=") and cells[1][1] == 3
    with pytest.raises(ValueError, match="unknown format"):
        write_rows(columns, rows, "ods")
