"""`flask --app wsgi refit --space SLUG`: a full rebuild of a space's stored fit, by hand."""
from __future__ import annotations

import click
import sqlalchemy as sa

from app.extensions import db
from app.models import Space

STEPS = ("read", "fit", "store")


@click.command("refit")
@click.option("--space", "slug", required=True, help="The space's slug, as in its address.")
def refit_command(slug: str) -> None:
    """Read every vote of the space again, fit them and store the fit every web worker serves.

    The refit job does this on its own after a hide, a merge or a deleted vote; run it by
    hand after restoring a backup or changing votes outside Plaza. It waits while another
    refit of the space holds the claim (PLAZA_REFIT_LOCK_SECONDS at most).
    """
    from app.pairwise.refits import run_refit

    space = db.session.scalar(sa.select(Space).where(Space.slug == slug))
    if space is None:
        raise click.BadParameter(f"no space with the slug {slug!r}", param_hint="--space")
    with click.progressbar(length=len(STEPS), label=f"Refitting {slug}",
                           item_show_func=lambda step: step) as bar:
        def progress(step: str) -> None:
            bar.update(1, step)

        refit = run_refit(space.id, full=True, progress=progress)
        if refit.outcome == "stored":
            bar.update(len(STEPS) - bar.pos)
    if refit.outcome == "busy":
        raise click.ClickException("Another refit of this space is running; try again when it ends.")
    click.echo(f"Stored the fit of {refit.votes:,} votes in {refit.seconds:.2f} s.")
