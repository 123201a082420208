"""The idea form, used by the submission page and by the JSON API alike."""
from __future__ import annotations

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import FloatField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.geo import point_in_polygon
from app.ideas.display import category_label
from app.ideas.photos import PhotoError, ProcessedPhoto, process_photo
from app.models import Space
from app.models.idea import BODY_MAX, TITLE_MAX
from app.models.moderation import FLAG_REASON_MAX

TITLE_MIN = 5
PHOTO_MAX_BYTES = 5 * 1024 * 1024
LOCATION_MISSING = _l("Set the place of your idea: tap the map or use your location.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CoordinateField(FloatField):
    """A float that must be finite; the message speaks to residents, not programmers."""

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = float(valuelist[0])
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            self.data = None
            raise ValueError(_("The location must be a number."))
        self.data = value


class IdeaForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give your idea a title.")),
            Length(min=TITLE_MIN, max=TITLE_MAX,
                   message=_l("The title needs %(min)s to %(max)s characters.", min=TITLE_MIN, max=TITLE_MAX)),
        ],
    )
    body = TextAreaField(
        _l("Description"),
        filters=[strip],
        validators=[Length(max=BODY_MAX, message=_l("Keep the description under %(max)s characters.", max=BODY_MAX))],
    )
    category = SelectField(_l("Category"), validate_choice=False)
    lat = CoordinateField(_l("Latitude"))
    lng = CoordinateField(_l("Longitude"))
    photo = FileField(_l("Photo (optional)"))
    submit = SubmitField(_l("Submit idea"))

    def __init__(self, space: Space, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.category.choices = [("", _("Choose a category"))] + [(c, category_label(c)) for c in space.categories]
        self.processed_photo: ProcessedPhoto | None = None

    def validate_category(self, field) -> None:
        if field.data not in self.space.categories:
            raise ValidationError(_("Choose one of the categories in the list."))

    def validate_lat(self, field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(LOCATION_MISSING)
        if field.data is not None and not -90 <= field.data <= 90:
            raise ValidationError(_("The latitude must lie between -90 and 90."))

    def validate_lng(self, field) -> None:
        lat = self.lat.data
        if lat is None:
            return  # the latitude's message already says the place is missing
        if field.data is None:
            if not field.errors:
                raise ValidationError(LOCATION_MISSING)
            return
        if not -180 <= field.data <= 180:
            raise ValidationError(_("The longitude must lie between -180 and 180."))
        if self.space.boundary and not point_in_polygon(lat, field.data, self.space.boundary):
            raise ValidationError(_("That place is outside %(space)s; pick a spot inside the outline.",
                                    space=self.space.name))

    def validate_photo(self, field) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        try:
            # Read one byte past the limit: enough to refuse a 20 MB file without holding it.
            self.processed_photo = process_photo(upload.stream.read(PHOTO_MAX_BYTES + 1))
        except PhotoError as exc:
            raise ValidationError(_("%(problem)s Choose the photo again or leave it out.",
                                    problem=str(exc))) from exc

    def field_errors(self) -> dict[str, str]:
        """The first error of each field, as the API reports them."""
        return {name: str(errors[0]) for name, errors in self.errors.items() if errors}


class FlagForm(FlaskForm):
    reason = TextAreaField(
        _l("What is wrong with this idea?"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Say briefly why staff should look at this idea.")),
            Length(max=FLAG_REASON_MAX, message=_l("Keep it under %(max)s characters.", max=FLAG_REASON_MAX)),
        ],
    )
    submit = SubmitField(_l("Report to staff"))
