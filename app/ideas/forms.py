"""The idea form, used by the submission page and by the JSON API alike."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.ideas.display import category_label
from app.ideas.drafts import TITLE_MIN, IdeaDraft, coordinate, problems
from app.models.idea import BODY_MAX, TITLE_MAX
from app.ideas.photos import PhotoError, ProcessedPhoto, process_photo
from app.models import Space
from app.models.moderation import FLAG_REASON_MAX
from app.web.forms import CommandForm

PHOTO_MAX_BYTES = 5 * 1024 * 1024


def strip(value):
    return value.strip() if isinstance(value, str) else value


class CoordinateField(FloatField):
    """A float that must be finite; the message speaks to residents, not programmers."""

    def process_formdata(self, valuelist):
        try:
            self.data = coordinate(valuelist[0] if valuelist else None)
        except ValueError:
            self.data = None
            raise


class IdeaForm(CommandForm):
    """Reads what was typed into a draft; the rules are the ideas' own (app/ideas/drafts.py)."""

    title = StringField(_l("Title"), filters=[strip])
    body = TextAreaField(_l("Description"), filters=[strip])
    category = SelectField(_l("Category"), validate_choice=False)
    landmark = SelectField(_l("Choose a place from the list"), validate_choice=False)
    anywhere = BooleanField(_l("No particular spot: it is about the whole space"))
    lat = CoordinateField(_l("Latitude"))
    lng = CoordinateField(_l("Longitude"))
    photo = FileField(_l("Photo (optional)"))
    submit = SubmitField(_l("Submit idea"))

    def __init__(self, space: Space, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.category.choices = [("", _("Choose a category"))] + [(c, category_label(c)) for c in space.categories]
        self.landmark.choices = [("", _("None: I put a pin on the map"))] + [
            (m["name"], m["name"]) for m in space.landmarks]
        self.processed_photo: ProcessedPhoto | None = None
        # The page shows the rules' own limits (app/ideas/drafts.py) and counts against them.
        self.title.flags.minlength, self.title.flags.maxlength = TITLE_MIN, TITLE_MAX
        self.body.flags.maxlength = BODY_MAX

    def validate(self, extra_validators=None) -> bool:
        """The form's own checks (token, numbers, photo), then every rule of a new idea, so
        all the problems show at once, each beside its field."""
        parsed = super().validate(extra_validators)
        for name, message in problems(self.space, self.draft()).items():
            field = getattr(self, name)
            if not field.errors:
                field.errors.append(message)
        return parsed and not self.errors

    def draft(self) -> IdeaDraft:
        return IdeaDraft(title=self.title.data or "", body=self.body.data or "",
                         category=self.category.data or "", lat=self.lat.data, lng=self.lng.data,
                         landmark=self.landmark.data or "", anywhere=bool(self.anywhere.data),
                         photo=self.processed_photo)

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
