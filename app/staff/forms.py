"""Forms of the staff workspace."""
from __future__ import annotations

import json
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.geo import BoundaryError, validate_polygon
from app.ideas.display import status_label
from app.ideas.forms import CoordinateField, strip
from app.eligibility.roll import MAX_ID_COLUMNS
from app.models.eligibility import METHODS
from app.models.space import MAX_FOCUS_K
from app.spaces.commands import SpaceSettings
from app.spaces.landmarks import Landmark, LandmarkError, parse_landmarks
from app.spaces.phases import phase_label
from app.web.validators import NumberRange
from app.web.forms import CommandForm

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_CATEGORIES = 20
#: The languages with a "name inside a sentence" field (sentence_<language>) on the space form.
SENTENCE_LANGUAGES = ("es", "en")
CENTRE_MISSING = _l("Pick the map centre.")


class SpaceForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    sentence_es = StringField(_l("The name inside a Spanish sentence"), filters=[strip],
                              validators=[Length(max=120)])
    sentence_en = StringField(_l("The name inside an English sentence"), filters=[strip],
                              validators=[Length(max=120)])
    slug = StringField(_l("Address (slug)"), filters=[strip],
                       validators=[DataRequired(), Length(max=80)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Length(max=5000)])
    center_lat = CoordinateField(_l("Map centre latitude"), validators=[InputRequired(message=CENTRE_MISSING)])
    center_lng = CoordinateField(_l("Map centre longitude"), validators=[InputRequired(message=CENTRE_MISSING)])
    zoom = IntegerField(_l("Map zoom"), default=17, validators=[InputRequired(), NumberRange(1, 20)])
    boundary = HiddenField(_l("Boundary (GeoJSON polygon)"))
    # After the boundary: its places must lie inside it.
    landmarks = TextAreaField(_l("Places residents can choose instead of the map, one per line"),
                              filters=[strip])
    ideas_anywhere = BooleanField(_l("An idea may be “somewhere in the space”, with no spot"))
    categories = TextAreaField(_l("Categories, one per line"), filters=[strip],
                               validators=[DataRequired(message=_l("List at least one category."))])
    phase = SelectField(_l("Phase"))
    moderation = BooleanField(_l("Moderate new ideas before they are shown"))
    pairwise_rule = SelectField(_l("Who may compare ideas (pairwise)"), default="anyone", choices=[
        SelectChoice("anyone", _l("Anyone, with or without an account")),
        SelectChoice("confirmed", _l("A confirmed account or a verified resident")),
        SelectChoice("verified", _l("Verified residents only"))])
    qv_rule = SelectField(_l("Who may spend credits (quadratic voting)"), default="confirmed", choices=[
        SelectChoice("confirmed", _l("A confirmed account or a verified resident")),
        SelectChoice("verified", _l("Verified residents only"))])
    verify_roll = BooleanField(_l("Residents may verify with their details on the roll"))
    verify_code = BooleanField(_l("Residents may verify with a letter code"))
    verified_without_account = BooleanField(_l("A verified resident may vote without an account"))
    ideas_during_voting = BooleanField(_l("Keep taking ideas while voting is open"))
    qv_budget = IntegerField(_l("Quadratic voting: credits per voter"), default=100,
                             validators=[InputRequired(), NumberRange(1, 10_000)])
    qv_negative = BooleanField(_l("Quadratic voting: allow votes against"))
    show_results = BooleanField(_l("Show the results page to the public"))
    focus_k = IntegerField(_l("Focus on the top K: how many ideas the city expects to adopt"),
                           default=10, validators=[InputRequired(), NumberRange(1, MAX_FOCUS_K)])
    official_result = SelectField(_l("Which ranking is the official result"), default="both", choices=[
        SelectChoice("pairwise", _l("Compared two at a time (pairwise)")),
        SelectChoice("quadratic", _l("Voice credits (quadratic voting)")),
        SelectChoice("both", _l("Both, shown side by side"))])
    submit = SubmitField(_l("Save space"))

    def __init__(self, *args, phases: list[str], used_categories: dict[str, int] | None = None,
                 taken_slugs: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase.choices = [(p, phase_label(p)) for p in phases]
        self.used_categories = used_categories or {}
        self.taken_slugs = taken_slugs or set()
        self.boundary_geojson: dict | None = None
        self.landmark_list: list[Landmark] = []

    def validate_slug(self, field) -> None:
        if not SLUG.match(field.data or ""):
            raise ValidationError(_("Use lower-case letters, digits and single hyphens, e.g. plaza-mayor."))
        if field.data in self.taken_slugs:
            raise ValidationError(_("Another space already uses this address."))

    def validate_center_lat(self, field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(str(CENTRE_MISSING))  # a blank value passes InputRequired
        if field.data is not None and not -90 <= field.data <= 90:
            raise ValidationError(_("The latitude must lie between -90 and 90."))

    def validate_center_lng(self, field) -> None:
        if field.data is None and not field.errors:
            raise ValidationError(str(CENTRE_MISSING))  # a blank value passes InputRequired
        if field.data is not None and not -180 <= field.data <= 180:
            raise ValidationError(_("The longitude must lie between -180 and 180."))

    def validate_boundary(self, field) -> None:
        if not (field.data or "").strip():
            return
        try:
            self.boundary_geojson = validate_polygon(json.loads(field.data))
        except (ValueError, BoundaryError, RecursionError) as exc:
            message = str(exc) if isinstance(exc, BoundaryError) else _("The boundary is not valid GeoJSON.")
            raise ValidationError(message) from exc

    def validate_landmarks(self, field) -> None:
        try:
            self.landmark_list = parse_landmarks(field.data or "", self.boundary_geojson)
        except LandmarkError as exc:
            raise ValidationError(str(exc)) from exc

    def settings(self) -> SpaceSettings:
        """What was typed, as the space's settings (after validate)."""
        return SpaceSettings(**{name: getattr(self, name).data for name in (
            "name", "slug", "center_lat", "center_lng", "zoom", "phase", "moderation",
            "pairwise_rule", "qv_rule", "verified_without_account", "ideas_during_voting", "qv_budget",
            "qv_negative", "show_results", "official_result", "ideas_anywhere", "focus_k")},
            verification_methods=self.verification_methods(),
            description=self.description.data or "", categories=self.category_list(),
            boundary=self.boundary_geojson, name_in_sentence=self.name_in_sentence(),
            landmarks=list(self.landmark_list))

    def verification_methods(self) -> list[str]:
        return [method for method in METHODS if getattr(self, f"verify_{method}").data]

    def name_in_sentence(self) -> dict[str, str]:
        typed = {language: getattr(self, f"sentence_{language}").data for language in SENTENCE_LANGUAGES}
        return {language: text for language, text in typed.items() if text}

    def category_list(self) -> list[str]:
        seen: list[str] = []
        for line in (self.categories.data or "").splitlines():
            name = line.strip()
            if name and name not in seen:
                seen.append(name)
        return seen

    def validate_categories(self, field) -> None:
        names = self.category_list()
        if not names:
            raise ValidationError(_("List at least one category."))
        if len(names) > MAX_CATEGORIES:
            raise ValidationError(_("Use at most %(n)s categories.", n=MAX_CATEGORIES))
        if any(len(n) > 40 for n in names):
            raise ValidationError(_("Keep each category under 40 characters."))
        missing = [ngettext("%(category)s (%(num)s idea)", "%(category)s (%(num)s ideas)", n, category=c)
                   for c, n in self.used_categories.items() if c not in names]
        if missing:
            raise ValidationError(_("Ideas still use these categories: %(categories)s.",
                                    categories=", ".join(missing)))


class DecisionForm(CommandForm):
    status = SelectField(_l("Decision"))
    response = TextAreaField(_l("Public answer"), filters=[strip],
                             validators=[Length(max=5000)])
    translation = TextAreaField(_l("The same answer in the other language (optional)"), filters=[strip],
                                validators=[Length(max=5000)])
    submit = SubmitField(_l("Save decision"))

    def __init__(self, *args, targets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [(t, status_label(t).capitalize()) for t in targets]


class AnnouncementForm(CommandForm):
    subject = StringField(_l("Subject"), filters=[strip], validators=[DataRequired(), Length(max=150)])
    body = TextAreaField(_l("Message"), filters=[strip], validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Preview"))


class LegalTextForm(CommandForm):
    body = TextAreaField(_l("Text"), filters=[strip], validators=[DataRequired()])
    submit = SubmitField(_l("Publish"))


def column_names(text: str | None) -> list[str]:
    """The CSV columns named in a field, one per comma ("documento, nacimiento")."""
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class RollUploadForm(CommandForm):
    roll = FileField(_l("The roll (a CSV file, UTF-8)"), validators=[FileRequired(_l("Choose the roll's CSV file."))])
    id_columns = StringField(_l("Identifying columns"), filters=[strip], validators=[DataRequired(), Length(max=400)])
    district_column = StringField(_l("District column (optional)"), filters=[strip], validators=[Length(max=120)])
    submit = SubmitField(_l("Preview"))

    def validate_id_columns(self, field) -> None:
        if not 1 <= len(column_names(field.data)) <= MAX_ID_COLUMNS:
            raise ValidationError(_("Name between 1 and %(n)s identifying columns, separated by commas.",
                                    n=MAX_ID_COLUMNS))
