"""Entry point for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""
from app import create_app

app = create_app()
# `celery --app wsgi:celery_app worker` runs the jobs, `... beat` the periodic ones.
celery_app = app.extensions["celery"]
