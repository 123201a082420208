"""`flask --app wsgi voters ...`: a space's roll and its letter codes."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, url_for

from app.eligibility import hasher
from app.eligibility.letters import MAX_BATCH, new_batch, pdf_bytes, write_csv
from app.eligibility.roll import RollError, import_roll, read_roll
from app.extensions import db
from app.models import Space
from app.text import _


def _space(slug: str) -> Space:
    space = db.session.scalar(Space.by_slug(slug))
    if space is None:
        raise click.UsageError(f"No space has the address {slug!r}.")
    return space


@click.group("voters")
def voters_command() -> None:
    """Who may vote: import a space's census roll, print letter codes."""


@voters_command.command("import-roll")
@click.argument("roll", type=click.File("r", encoding="utf-8-sig"))
@click.option("--space", "slug", required=True, help="The space's address (slug).")
@click.option("--id-column", "id_columns", multiple=True, required=True,
              help="A column that identifies a person, as the CSV's header names it, e.g. "
                   "--id-column document --id-column birth_date. Residents type these to verify.")
@click.option("--district-column", default=None,
              help="A column with the person's district or area, kept for results by group.")
def import_roll_command(roll, slug: str, id_columns: tuple[str, ...], district_column: str | None) -> None:
    """Import (or re-import) the roll of eligible people from a CSV file.

    Only keyed hashes of the identifying values are stored, never the values. Importing
    again updates the roll: people no longer listed can no longer verify, and everyone who
    already verified stays verified.
    """
    space = _space(slug)
    try:
        people = read_roll(roll, list(id_columns), district_column)
    except RollError as exc:
        raise click.UsageError(str(exc)) from exc
    report = import_roll(hasher(), space, list(id_columns), people)
    db.session.commit()
    click.echo(f"Roll of {space.slug}: {report.listed} people listed ({report.added} new, {report.kept} kept, "
               f"{report.unlisted} no longer listed, {report.duplicates} duplicate rows); "
               f"{report.claimed} already verified.")
    for district, count in report.districts.items():
        click.echo(f"  {district}: {count}")


@voters_command.command("codes")
@click.option("--space", "slug", required=True, help="The space's address (slug).")
@click.option("--count", type=click.IntRange(1, MAX_BATCH), required=True, help="How many codes to make.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The CSV to write (space, code, link); the printable PDF is written beside it, "
                   "with the same name ending in .pdf.")
@click.option("--district", default=None, help="The district these letters go to, kept for results by group.")
def codes_command(slug: str, count: int, output: Path, district: str | None) -> None:
    """Make a batch of single-use letter codes: a CSV, and a PDF with one slip per code.

    Only the codes' hashes are stored: keep the files safe until the letters are printed,
    and make a new batch if they are lost.
    """
    space = _space(slug)
    pdf = output.with_suffix(".pdf")
    with current_app.test_request_context(base_url=current_app.config["PLAZA_BASE_URL"]):
        verify_url = url_for("eligibility.verify", slug=space.slug, _external=True)
        batch, letters = new_batch(hasher(), space, count, verify_url, district)
        heading = _("Your code to vote in %(space)s", space=space.name)
        instructions = _("Scan the QR code or open the link below, and type this code. "
                         "It can be used once, by one person.")
        pdf_data = pdf_bytes(space, letters, heading, instructions)
    write_csv(output, space, letters)
    pdf.write_bytes(pdf_data)
    db.session.commit()
    click.echo(f"Batch {batch}: {len(letters)} codes for {space.slug} written to {output} and {pdf}.")
