"""The notification settings form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField

from app.models.user import NOTIFY_CHOICES
from app.notifications.settings import NOTIFY_LABELS


class NotifyForm(FlaskForm):
    frequency = RadioField(_l("E-mails about the ideas you follow"),
                           choices=[SelectChoice(c, _l(NOTIFY_LABELS[c])) for c in NOTIFY_CHOICES])
    submit = SubmitField(_l("Save"))
