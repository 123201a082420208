"""Batches of letter codes: stored as hashes, handed to staff once as a CSV and a PDF.

The printable PDF has one slip per code: the space, the code in large type, and a QR code
that opens the verification page with the code filled in. The codes themselves are never
stored, so a lost file cannot be printed again: generate a new batch instead.
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import segno
import sqlalchemy as sa
from fpdf import FPDF

from app.core.csv import write_rows
from app.eligibility import codes
from app.eligibility.hashing import Hasher
from app.extensions import db
from app.models import Space, Verification, VerificationCode

MAX_BATCH = 100_000
SLIPS_PER_PAGE = 4  # A4 cut in four: each slip fits a DL envelope's window


@dataclass(frozen=True)
class Letter:
    code: str
    url: str


def new_batch(hasher: Hasher, space: Space, count: int, verify_url: str,
              district: str | None = None) -> tuple[str, list[Letter]]:
    """`count` fresh codes stored for the space; (the batch's name, the letters). The
    caller commits. A code that happens to exist already is drawn again."""
    if not 1 <= count <= MAX_BATCH:
        raise ValueError(f"count must be between 1 and {MAX_BATCH}")
    batch = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    made: dict[str, str] = {}
    while len(made) < count:  # a code drawn twice, or already stored, is drawn again
        fresh: dict[str, str] = {}
        while len(made) + len(fresh) < count:
            code = codes.new_code()
            code_hash = hasher.code(code)
            if code_hash not in made:
                fresh[code_hash] = code
        made.update({h: c for h, c in fresh.items() if h not in _stored(list(fresh))})
    now = datetime.now(timezone.utc)
    db.session.execute(sa.insert(VerificationCode), [
        {"space_id": space.id, "code_hash": code_hash, "batch": batch, "district": district,
         "created_at": now} for code_hash in made])
    return batch, [Letter(code, f"{verify_url}?code={quote(code)}") for code in made.values()]


def _stored(code_hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(code_hashes), 500):
        found.update(db.session.scalars(sa.select(VerificationCode.code_hash).where(
            VerificationCode.code_hash.in_(code_hashes[start:start + 500]))))
    return found


@dataclass(frozen=True)
class CodeSummary:
    printed: int
    used: int


def code_summary(space_id: int) -> CodeSummary:
    """How many codes were made for the space and how many verified someone."""
    printed = db.session.scalar(sa.select(sa.func.count(VerificationCode.id))
                                .where(VerificationCode.space_id == space_id))
    used = db.session.scalar(sa.select(sa.func.count(Verification.id))
                             .where(Verification.space_id == space_id, Verification.code_id.is_not(None)))
    return CodeSummary(printed, used)


def write_csv(path: Path, space: Space, letters: Iterable[Letter]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        for _row in write_rows(fh, ["space", "code", "link"],
                               ([space.slug, letter.code, letter.url] for letter in letters)):
            pass


def pdf_bytes(space: Space, letters: list[Letter], heading: str, instructions: str) -> bytes:
    """The printable slips; the texts come from the caller, in the city's language."""
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    slip_height = 297 / SLIPS_PER_PAGE
    for index, letter in enumerate(letters):
        if index % SLIPS_PER_PAGE == 0:
            pdf.add_page()
        top = (index % SLIPS_PER_PAGE) * slip_height
        if index % SLIPS_PER_PAGE:
            pdf.set_draw_color(160)
            pdf.set_dash_pattern(dash=2, gap=2)
            pdf.line(10, top, 200, top)
            pdf.set_dash_pattern()
        pdf.set_xy(15, top + 10)
        pdf.set_font("helvetica", "B", 14)
        pdf.cell(120, 8, _latin1(heading))
        pdf.set_xy(15, top + 20)
        pdf.set_font("helvetica", "", 10)
        pdf.multi_cell(120, 5, _latin1(instructions))
        pdf.set_xy(15, top + 45)
        pdf.set_font("courier", "B", 20)
        pdf.cell(120, 10, letter.code)
        pdf.set_xy(15, top + 58)
        pdf.set_font("helvetica", "", 8)
        pdf.cell(120, 5, _latin1(letter.url))
        qr = io.BytesIO()
        segno.make(letter.url, error="m").save(qr, kind="png", scale=6, border=2)
        pdf.image(qr, x=145, y=top + 10, w=50, h=50)
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    """The core PDF fonts hold Latin-1 only (enough for Spanish and English)."""
    return text.encode("latin-1", "replace").decode("latin-1")
