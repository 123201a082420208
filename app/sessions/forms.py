"""Forms of facilitated sessions: create/edit a session, set up a kiosk, join by code."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import available_timezones

from babel.dates import format_skeleton, get_timezone_location
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.ideas.forms import strip
from app.models.facilitation import PLACE_MAX, SESSION_NAME_MAX
from app.sessions.codes import CodeError, normalize_code
from app.sessions.pins import PinError, check_pin_format
from app.sessions.windows import WindowError, check_window, local_to_utc, zone
from app.web.validators import NumberRange

MODE_CHOICES = [
    SelectChoice("pairwise", _l("Pairwise: “which of these two is better?”")),
    SelectChoice("quadratic", _l("Quadratic voting: spread voice credits over the ideas")),
    SelectChoice("both", _l("Both in sequence: pairs first, then the credits")),
]
TIMEZONES = sorted(available_timezones() - {"localtime"})


class SessionForm(FlaskForm):
    """A session's settings; `new` adds the space and makes the PIN required."""

    space = SelectField(_l("Space"), coerce=int, validate_choice=False)
    # Length and NumberRange fill in %(max)s (and %(min)s) themselves.
    name = StringField(_l("Name of the session"), filters=[strip], validators=[
        DataRequired(message=_l("Give the session a name, e.g. “Saturday workshop”.")),
        Length(max=SESSION_NAME_MAX, message=_l("Keep the name under %(max)s characters."))])
    place = StringField(_l("Place"), filters=[strip], validators=[
        Length(max=PLACE_MAX, message=_l("Keep the place under %(max)s characters."))])
    starts_at = DateTimeLocalField(_l("Starts"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                   validators=[InputRequired(message=_l("When does it start?"))])
    ends_at = DateTimeLocalField(_l("Ends"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                 validators=[InputRequired(message=_l("When does it end?"))])
    timezone = SelectField(_l("Time zone of the place"), choices=[SelectChoice(z) for z in TIMEZONES],
                           validate_choice=False)
    mode = SelectField(_l("Voting"), choices=MODE_CHOICES)
    collect_ideas = BooleanField(_l("Participants may add ideas (they go to moderation if the space moderates)"))
    show_room_results = BooleanField(_l("Show the room's own results on the projector"), default=True)
    idle_seconds = IntegerField(_l("Back to the start screen after this many idle seconds"),
                                default=120, validators=[
                                    InputRequired(message=_l("How many seconds?")),
                                    NumberRange(min=30, max=900,
                                                message=_l("Between %(min)s and %(max)s seconds."))])
    pin = PasswordField(_l("Kiosk PIN"), filters=[strip])
    pin_confirm = PasswordField(_l("Repeat the PIN"), filters=[strip])
    submit = SubmitField(_l("Save session"))

    def __init__(self, spaces: list, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        self.space.choices = [SelectChoice(s.id, s.name) for s in spaces]
        self.space_ids = {s.id for s in spaces}
        self.window: tuple[datetime, datetime] | None = None

    def offer_zones(self, likely: list[str]) -> None:
        """The likely zones first, named by their city in the reader's language, then every other."""
        locale = get_locale()
        first = [SelectChoice(z, f"{get_timezone_location(z, locale=locale, return_city=True)} ({z})")
                 for z in likely]
        self.timezone.choices = {
            _("Likely time zones"): first,
            _("All time zones"): [SelectChoice(z) for z in TIMEZONES if z not in likely],
        }

    def validate_space(self, field) -> None:
        if self.new and field.data not in self.space_ids:
            raise ValidationError(_("Choose a space from the list."))

    def validate_timezone(self, field) -> None:
        try:
            zone(field.data)
        except WindowError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data is None or field.data is None or self.timezone.errors:
            return
        try:
            starts = local_to_utc(self.starts_at.data, self.timezone.data, show_day)
            ends = local_to_utc(field.data, self.timezone.data, show_day)
            check_window(starts, ends, datetime.now(timezone.utc))
        except WindowError as exc:
            raise ValidationError(str(exc)) from exc
        self.window = (starts, ends)

    def validate_pin(self, field) -> None:
        if not field.data and not self.new:
            return  # editing: a blank PIN keeps the current one
        try:
            check_pin_format(field.data or "")
        except PinError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_pin_confirm(self, field) -> None:
        if self.pin.data and not self.pin.errors and field.data != self.pin.data:
            raise ValidationError(_("The two PINs differ."))


def show_day(day: datetime) -> str:
    """A day and month as the reader writes them: "March 29", "29 de marzo"."""
    return format_skeleton("MMMMd", day, locale=get_locale())


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """From now (to the minute) for two hours: a session is often created on the spot."""
    start = now.replace(second=0, microsecond=0)
    return start, start + timedelta(hours=2)


class CodeForm(FlaskForm):
    """Join a session by typing its code."""

    code = StringField(_l("Session code"), filters=[strip], validators=[
        DataRequired(message=_l("Type the code shown by the facilitator."))])
    submit = SubmitField(_l("Join"))

    def validate_code(self, field) -> None:
        try:
            field.data = normalize_code(field.data)
        except CodeError as exc:
            raise ValidationError(str(exc)) from exc


class KioskSetupForm(CodeForm):
    """Turn a tablet into a kiosk with the session code and the facilitator's PIN."""

    pin = PasswordField(_l("Kiosk PIN"), filters=[strip], validators=[
        DataRequired(message=_l("Type the kiosk PIN of the session."))])
    submit = SubmitField(_l("Start kiosk mode"))
