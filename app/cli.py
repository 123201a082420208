"""Command-line tools: `flask --app wsgi <command> --help` explains each."""
from __future__ import annotations

import click
from flask import current_app
from sqlalchemy.exc import IntegrityError

from app.auth.accounts import AccountError, create_account
from app.core.csv import write_rows
from app.exports import EXPORTS, count, ideas_geojson, rows_for
from app.models import Space
from app.pairwise.importer import SurveyImportError, import_pairwise
from app.demo.seed import seed_demo as run_seed
from app.extensions import db
from app.models import ROLES


@click.command("seed-demo")
@click.option("--with-votes", is_flag=True,
              help="Also add simulated pairwise votes and QV ballots, so rankings have data.")
def seed_demo(with_votes: bool) -> None:
    """Create the demo space (the Zócalo, Mexico City) with ideas and demo accounts.

    Running it again adds nothing twice; it resets the demo accounts' passwords to the
    ones it prints. Do not run it on a production database.
    """
    report = run_seed(with_votes=with_votes)
    state = "created" if report.space_created else "already there"
    click.echo(f"Demo space {state}; {report.ideas_added} ideas added; "
               f"{report.votes_added} demo pairwise votes and {report.ballots_added} QV ballots added.")
    click.echo("Demo accounts (e-mail / password / role):")
    for email, password, role in report.accounts:
        click.echo(f"  {email} / {password} / {role}")


@click.command("create-user")
@click.option("--email", required=True, help="Login e-mail (stored lower-case).")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters; asked for when left out.",
)
@click.option("--role", type=click.Choice(ROLES), default="resident", show_default=True,
              help="What the account may do.")
@click.option("--name", "display_name", default=None,
              help="Name shown with the person's ideas (default: the part before the @).")
def create_user(email: str, password: str, role: str, display_name: str | None) -> None:
    """Create an account, e.g. the first staff member of a city.

    The operator vouches for the address, so the account needs no confirmation link.
    """
    name = display_name or email.split("@", 1)[0]
    try:
        user = create_account(email, password, name, role)
        user.confirm_email()
        db.session.commit()
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    except IntegrityError as exc:
        db.session.rollback()
        raise click.ClickException("An account with this e-mail already exists.") from exc
    click.echo(f"Created {user.role} account {user.email} (id {user.id}).")


@click.command("import-pairwise")
@click.argument("votes_file", type=click.File("r", encoding="utf-8-sig"))
@click.option("--ideas", "ideas_file", type=click.File("r", encoding="utf-8-sig"), required=True,
              help="CSV with columns id,title[,body,category].")
@click.option("--space", "slug", required=True, help="Slug of the space to import into.")
def import_pairwise_command(votes_file, ideas_file, slug: str) -> None:
    """Import an earlier wiki survey: VOTES_FILE has columns left_id,right_id,choice
    (left/right/tie/skip) and optionally voter and reason.

    Nothing is written unless every row is valid; running it again adds nothing twice.
    """
    space = db.session.scalar(Space.by_slug(slug))
    if space is None:
        raise click.ClickException(f"There is no space with the slug {slug!r}.")
    try:
        report = import_pairwise(space, ideas_file.read(), votes_file.read())
    except SurveyImportError as exc:
        db.session.rollback()
        more = len(exc.errors) - 10
        raise click.ClickException("Nothing was imported:\n  " + "\n  ".join(exc.errors[:10])
                                   + (f"\n  ... and {more} more" if more > 0 else "")) from exc
    db.session.commit()
    click.echo(f"Ideas: {report.ideas_added} added, {report.ideas_matched} already there. "
               f"Votes: {report.votes_added} added, {report.votes_already_there} already imported, "
               f"{report.votes_repeated} repeats left out (a voter's first answer to a pair counts).")


@click.command("export")
@click.argument("kind", type=click.Choice(sorted(EXPORTS)))
@click.option("--space", "slug", required=True, help="Slug of the space to export.")
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson"]), default="csv",
              show_default=True, help="geojson only for ideas.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
def export_command(kind: str, slug: str, fmt: str, output: str) -> None:
    """Export a space: ideas with both rankings, pairwise votes, or anonymised QV ballots."""
    # Idea rows carry their page address; a request context lets url_for build it.
    with current_app.test_request_context():
        _export(kind, slug, fmt, output)


def _export(kind: str, slug: str, fmt: str, output: str) -> None:
    space = db.session.scalar(Space.by_slug(slug))
    if space is None:
        raise click.ClickException(f"There is no space with the slug {slug!r}.")
    if fmt == "geojson":
        if kind != "ideas":
            raise click.ClickException("Only ideas can be exported as GeoJSON.")
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(ideas_geojson(space))
        click.echo(f"Wrote {output}.")
        return
    header, rows = rows_for(space, kind)
    written = 0
    with open(output, "w", newline="", encoding="utf-8") as fh:
        with click.progressbar(write_rows(fh, header, rows), length=count(space, kind),
                               label=f"Exporting {kind}") as bar:
            for _ in bar:
                written += 1
    click.echo(f"Wrote {written} rows to {output}.")


@click.command("translations")
@click.argument("action", type=click.Choice(["update", "check"]))
def translations_command(action: str) -> None:
    """Keep the Spanish catalog in step with the code.

    \b
    update  extract every message of app/ (Python, templates, scripts), keep the Spanish
            translations already made, drop messages no longer used, and compile the .mo
            that Plaza reads (app/translations/es/LC_MESSAGES/).
    check   the same extraction, writing nothing; fails when a message has no Spanish text.

    Translate by editing messages.po (msgstr lines), then run update again.
    """
    from app.catalogs import LANGUAGES_TRANSLATED, extract_messages, read_catalog, untranslated, update_catalog

    failed = False
    for language in LANGUAGES_TRANSLATED:
        if action == "update":
            problems = update_catalog(language)
        else:
            problems = untranslated(extract_messages(), read_catalog(language))
        for problem in problems:
            click.echo(f"{language}: {problem.why}: {problem.message!r}")
        click.echo(f"{language}: {len(problems)} message(s) need work.")
        failed = failed or bool(problems)
    if failed and action == "check":
        raise SystemExit(1)
