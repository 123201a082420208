"""Forms of the accounts area; flask-wtf adds the CSRF token to each."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.auth.accounts import PASSWORD_MIN


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    email = EmailField(
        "E-mail",
        validators=[
            DataRequired(),
            Email(message="Enter an e-mail address like name@example.org.", check_deliverability=False),
            Length(max=254),
        ],
    )
    display_name = StringField(
        "Name shown with your ideas",
        validators=[DataRequired(), Length(min=1, max=80)],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=PASSWORD_MIN, max=256, message=f"Use at least {PASSWORD_MIN} characters."),
        ],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )
    next = HiddenField()
    submit = SubmitField("Create account")


class EmptyForm(FlaskForm):
    """CSRF protection for POST-only buttons such as "log out"."""

    submit = SubmitField("Submit")
