"""Forms of the accounts area; flask-wtf adds the CSRF token to each."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.auth.passwords import PASSWORD_MIN, WeakPassword, check_password_strength
from app.web.forms import CommandForm


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class RegisterForm(CommandForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Email(message=_l("Enter an e-mail address like name@example.org."), check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        _l("Name shown with your ideas"),
        validators=[DataRequired(), Length(min=1, max=80)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN, max=256, message=_l("Use at least %(min)s characters.", min=PASSWORD_MIN)),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    accept_terms = BooleanField(
        _l("I accept the terms of use and the privacy notice"),
        validators=[DataRequired(message=_l("Accept the terms of use and the privacy notice to create an account."))],
    )
    next = HiddenField()
    submit = SubmitField(_l("Create account"))

    def validate_password(self, field) -> None:
        if field.errors:  # too short already says what to do
            return
        try:
            check_password_strength(field.data or "", known=(self.email.data or "", self.display_name.data or ""))
        except WeakPassword as exc:
            raise ValidationError(str(exc)) from exc


class EmptyForm(FlaskForm):
    """CSRF protection for POST-only buttons such as "log out"."""

    submit = SubmitField(_l("Submit"))


class EmailForm(FlaskForm):
    """Just an address: "forgot my password", "send the link again"."""

    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Email(message=_l("Enter an e-mail address like name@example.org."),
                              check_deliverability=False), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=PASSWORD_MIN, max=256, message=_l("Use at least %(min)s characters.", min=PASSWORD_MIN))])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])
    submit = SubmitField(_l("Save the new password"))

    def __init__(self, *args, known: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def validate_password(self, field) -> None:
        if field.errors:
            return
        try:
            check_password_strength(field.data or "", known=self.known)
        except WeakPassword as exc:
            raise ValidationError(str(exc)) from exc


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class EmailChangeForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), validators=[
        DataRequired(), Email(message=_l("Enter an e-mail address like name@example.org."),
                              check_deliverability=False), Length(max=254)])
    password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change my address"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete my account"))
