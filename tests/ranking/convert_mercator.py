"""Convert the Mercator wiki survey into the CSV fixtures the ranking tests read.

Run once from the repository root, with the shared data beside it:

    .venv/bin/python -m tests.ranking.convert_mercator [path/to/mercator-wikisurvey]

It reads ``items_active.xlsx`` with the standard library (an .xlsx file is a zip of XML
sheets; these use inline strings), so neither openpyxl nor pandas is needed, and writes:

- ``data/mercator_items.csv``: context, item, label, winning_rate, score, times_chosen,
  times_shown, time_added (one row per item and context, as published; empty = missing).
- ``data/mercator_votes.csv``: context, respondent, position, left, right, chosen, one row
  per pair shown in ``kodaqs_data.csv``; ``chosen`` is empty when the respondent skipped.
"""
from __future__ import annotations

import csv
import sys
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "mercator-wikisurvey"
DATA = Path(__file__).resolve().parent / "data"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ITEM_COLUMNS = ["item", "label", "winning_rate", "score", "times_chosen", "times_shown",
                "time_added"]


def _cell_text(cell: ET.Element) -> str:
    """Text of one cell: inline string, or the stored value, or '' when empty."""
    if cell.get("t") == "inlineStr":
        return "".join(node.text or "" for node in cell.iter(f"{SHEET_NS}t"))
    value = cell.find(f"{SHEET_NS}v")
    return "" if value is None or value.text is None else value.text


def _column(reference: str) -> str:
    """Column letters of a cell reference such as 'C12'."""
    return "".join(ch for ch in reference if ch.isalpha())


def read_xlsx_sheets(path: Path) -> dict[str, list[dict[str, str]]]:
    """Each sheet as a list of rows keyed by the header row (sheet order as in the book)."""
    with zipfile.ZipFile(path) as book:
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        relations = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target") for rel in relations}
        sheets: dict[str, list[dict[str, str]]] = {}
        for sheet in workbook.iter(f"{SHEET_NS}sheet"):
            xml = ET.fromstring(book.read("xl/" + targets[sheet.get(f"{REL_NS}id")]))
            rows = [{_column(c.get("r", "")): _cell_text(c) for c in row}
                    for row in xml.iter(f"{SHEET_NS}row")]
            header = rows[0]
            sheets[sheet.get("name", "")] = [
                {header[col]: row.get(col, "") for col in header} for row in rows[1:]
            ]
    return sheets


def convert(source: Path = SOURCE, target: Path = DATA) -> None:
    """Write both fixture CSVs from the survey files in ``source``."""
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "mercator_items.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["context", *ITEM_COLUMNS])
        for context, rows in read_xlsx_sheets(source / "items_active.xlsx").items():
            for row in rows:
                writer.writerow([context, *(row.get(col, "") for col in ITEM_COLUMNS)])

    with open(source / "kodaqs_data.csv", newline="", encoding="utf-8") as src, \
            open(target / "mercator_votes.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["context", "respondent", "position", "left", "right", "chosen"])
        for respondent, row in enumerate(csv.DictReader(src), start=1):
            for position in range(1, 11):
                pair = row[f"wiki_pair_{position}"]
                if pair in ("", "NA"):
                    continue
                left, right = pair.split(",")
                chosen = row[f"wiki_{position}"]
                writer.writerow([row["question"], respondent, position, left, right,
                                 "" if chosen == "NA" else chosen])


if __name__ == "__main__":
    convert(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
