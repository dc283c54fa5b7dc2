"""Spreadsheets in and out: CSV and XLSX rows with their row numbers, for imports and exports.

Imports read the whole file first, so an app can check every row and report every problem
(:class:`tact.core.datafiles.Problem` with the file name, "row N" and the column) before it writes
anything. Row numbers are those a person sees in a spreadsheet program: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext as _

from tact.core.datafiles import DataError, Problem

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
MAX_ROWS = 100_000
CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Row:
    number: int  # as shown by a spreadsheet program: the header is row 1
    values: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    @property
    def record(self) -> str:
        return _("row %(n)d") % {"n": self.number}


def normalise_header(name: str) -> str:
    """'Max. meetings ' -> 'max_meetings': case, spaces and punctuation do not matter."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def format_of(filename: str) -> Format:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    raise DataError(
        [Problem(filename, "", "", _("unknown file type: upload a .csv or .xlsx file"))]
    )


def read_rows(data: bytes, filename: str, *, required: Sequence[str] = ()) -> list[Row]:
    """Every non-empty row of a CSV or XLSX file (first sheet), keyed by normalised header.

    Raises DataError naming the file when it cannot be read, has no header, repeats a column or
    lacks a ``required`` column. Cells are strings with surrounding spaces removed.
    """
    fmt = format_of(filename)
    raw = _read_csv(data, filename) if fmt == "csv" else _read_xlsx(data, filename)
    if not raw or not any(cell.strip() for cell in raw[0]):
        raise DataError([Problem(filename, "", "", _("the file is empty: no header row"))])
    header = [normalise_header(cell) for cell in raw[0]]
    problems: list[Problem] = []
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(Problem(filename, _("row 1"), name, _("this column appears twice")))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(
                Problem(filename, _("row 1"), name, _("required column missing from the header"))
            )
    if problems:
        raise DataError(problems)
    if len(raw) - 1 > MAX_ROWS:
        raise DataError(
            [
                Problem(
                    filename, "", "", _("too many rows: at most %(n)d per file") % {"n": MAX_ROWS}
                )
            ]
        )
    rows: list[Row] = []
    for index, cells in enumerate(raw[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            name: (cells[i].strip() if i < len(cells) else "")
            for i, name in enumerate(header)
            if name
        }
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            raise DataError(
                [
                    Problem(
                        filename,
                        _("row %(n)d") % {"n": index},
                        "",
                        _("more cells than header columns"),
                    )
                ]
            )
        rows.append(Row(index, values))
    return rows


def _read_csv(data: bytes, filename: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [
                Problem(
                    filename,
                    "",
                    "",
                    _("not UTF-8 text (byte %(at)d): save the file as CSV UTF-8")
                    % {"at": exc.start},
                )
            ]
        ) from None
    if "\x00" in text:
        raise DataError([Problem(filename, "", "", _("not a text file (NUL bytes)"))])
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DataError(
            [Problem(filename, "", "", _("unreadable CSV: %(e)s") % {"e": exc})]
        ) from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()  # spreadsheets store dates as midnight datetimes
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, filename: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise DataError(
            [Problem(filename, "", "", _("not a readable XLSX workbook (%(e)s)") % {"e": exc})]
        ) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        out: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            out.append([_cell_text(v) for v in values])
            if len(out) > MAX_ROWS + 1:
                break
        while out and out[-1] and not any(c.strip() for c in out[-1]):
            out.pop()
        return out
    finally:
        book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    return _cell_text(value)


def _safe_cell(text: str) -> str:
    # A cell starting with = + - @ is a formula to spreadsheet programs (CSV injection).
    return (
        "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text
    )


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_rows(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], fmt: str) -> bytes:
    """Rows as CSV (UTF-8 with BOM, so spreadsheet programs see the accents) or XLSX.

    Lists are joined with "; ". Text cells that a spreadsheet would run as a formula are quoted.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use csv or xlsx")
    if fmt == "csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_safe_cell(_text(row.get(c))) for c in columns])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(columns))
    for row in rows:
        cells: list[Any] = []
        for c in columns:
            value = row.get(c)
            if isinstance(value, bool) or value is None:
                cells.append(_text(value))
            elif isinstance(value, dt.datetime) and value.tzinfo is not None:
                cells.append(value.isoformat(timespec="minutes"))
            elif isinstance(value, (int, float, dt.date)):
                cells.append(value)
            else:
                cells.append(_safe_cell(_text(value)))
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
