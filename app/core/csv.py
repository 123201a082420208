"""Every CSV file Plaza writes goes through here, so no cell can run as a spreadsheet formula.

A title like ``=HYPERLINK("http://evil.example","click")`` or an answer starting with ``-``,
``+``, ``@``, a tab or a carriage return would be run by Excel, LibreOffice or Google Sheets
when a staff member opens the export (CSV injection, OWASP). Such text gets a leading
apostrophe, which spreadsheets show as plain text; numbers are written as they are.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """`value`, or the text with an apostrophe in front when a spreadsheet would run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_rows(fh: IO[str], header: list[str], rows: Iterable[Iterable[object]]) -> Iterable[None]:
    """Write the header, then yield once per row written (for progress bars)."""
    writer = csv.writer(fh)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        yield None


def csv_text(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """The whole file as text, for a download."""
    out = io.StringIO()
    for _ in write_rows(out, header, rows):
        pass
    return out.getvalue()
