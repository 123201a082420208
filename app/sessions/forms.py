"""Forms of facilitated sessions: create/edit a session, set up a kiosk, join by code."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import available_timezones

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
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from app.ideas.forms import IdeaForm, strip
from app.models.facilitation import PLACE_MAX, SESSION_NAME_MAX
from app.sessions.codes import CodeError, normalize_code
from app.sessions.pins import PinError, check_pin_format
from app.sessions.windows import WindowError, check_window, local_to_utc, zone

MODE_CHOICES = [
    SelectChoice("pairwise", "Pairwise: “which of these two is better?”"),
    SelectChoice("quadratic", "Quadratic voting: spread voice credits over the ideas"),
    SelectChoice("both", "Both in sequence: pairs first, then the credits"),
]
TIMEZONES = sorted(available_timezones() - {"localtime"})


class SessionForm(FlaskForm):
    """A session's settings; `new` adds the space and makes the PIN required."""

    space = SelectField("Space", coerce=int, validate_choice=False)
    name = StringField("Name of the session", filters=[strip], validators=[
        DataRequired(message="Give the session a name, e.g. “Saturday workshop”."),
        Length(max=SESSION_NAME_MAX, message=f"Keep the name under {SESSION_NAME_MAX} characters.")])
    place = StringField("Place", filters=[strip], validators=[
        Length(max=PLACE_MAX, message=f"Keep the place under {PLACE_MAX} characters.")])
    starts_at = DateTimeLocalField("Starts", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                   validators=[InputRequired(message="When does it start?")])
    ends_at = DateTimeLocalField("Ends", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                 validators=[InputRequired(message="When does it end?")])
    timezone = SelectField("Time zone of the place", choices=[SelectChoice(z) for z in TIMEZONES],
                           validate_choice=False)
    mode = SelectField("Voting", choices=MODE_CHOICES)
    collect_ideas = BooleanField("Participants may add ideas (they go to moderation if the space moderates)")
    idle_seconds = IntegerField("Back to the start screen after this many idle seconds",
                                default=120, validators=[
                                    InputRequired(message="How many seconds?"),
                                    NumberRange(min=30, max=900, message="Between 30 and 900 seconds.")])
    pin = PasswordField("Kiosk PIN", filters=[strip])
    pin_confirm = PasswordField("Repeat the PIN", filters=[strip])
    submit = SubmitField("Save session")

    def __init__(self, spaces: list, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        self.space.choices = [SelectChoice(s.id, s.name) for s in spaces]
        self.space_ids = {s.id for s in spaces}
        self.window: tuple[datetime, datetime] | None = None

    def validate_space(self, field) -> None:
        if self.new and field.data not in self.space_ids:
            raise ValidationError("Choose a space from the list.")

    def validate_timezone(self, field) -> None:
        try:
            zone(field.data)
        except WindowError as exc:
            raise ValidationError(str(exc)) from exc

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data is None or field.data is None or self.timezone.errors:
            return
        try:
            starts = local_to_utc(self.starts_at.data, self.timezone.data)
            ends = local_to_utc(field.data, self.timezone.data)
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
            raise ValidationError("The two PINs differ.")


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """From now (to the minute) for two hours: a session is often created on the spot."""
    start = now.replace(second=0, microsecond=0)
    return start, start + timedelta(hours=2)


class CodeForm(FlaskForm):
    """Join a session by typing its code."""

    code = StringField("Session code", filters=[strip], validators=[
        DataRequired(message="Type the code shown by the facilitator.")])
    submit = SubmitField("Join")

    def validate_code(self, field) -> None:
        try:
            field.data = normalize_code(field.data)
        except CodeError as exc:
            raise ValidationError(str(exc)) from exc


class KioskSetupForm(CodeForm):
    """Turn a tablet into a kiosk with the session code and the facilitator's PIN."""

    pin = PasswordField("Kiosk PIN", filters=[strip], validators=[
        DataRequired(message="Type the kiosk PIN of the session.")])
    submit = SubmitField("Start kiosk mode")


class SessionIdeaForm(IdeaForm):
    """The idea form of a kiosk: the place on the map is welcome but not required.

    A tablet in a community centre may be offline with no map tiles, and a participant
    may have an idea for the whole square.
    """

    def validate_lat(self, field) -> None:
        if field.data is None and self.lng.data is None and not field.errors:
            return
        if field.data is None or self.lng.data is None:
            raise ValidationError("Give both coordinates of the place, or none.")
        super().validate_lat(field)

