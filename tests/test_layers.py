"""The house's layers, checked by walking the imports (issue 20).

Domain modules hold the rules and can be called from a view, a CLI command or a Celery task
alike, so they must not import Flask, WTForms or a blueprint. Web modules (views, forms,
blueprints, request plumbing) may. Areas never import each other's views.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
WEB_LIBRARIES = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_mail", "flask_limiter",
                 "flask_migrate", "flask_sqlalchemy", "wtforms", "werkzeug")
#: Libraries of the web stack a domain module may still use: password hashing is not the web.
ALLOWED_IN_DOMAIN = ("werkzeug.security",)

#: The web layer and the platform glue, by name: views, forms, blueprints, request plumbing,
#: and the Flask integrations of the queue and of mail.
WEB_FILES = {
    "__init__.py", "errors.py", "extensions.py", "i18n.py", "requests.py", "security.py", "assets.py",
    "cli.py", "urls.py", "lookups.py", "connections.py", "auth/decorators.py", "jobs/__init__.py",
    "mail/__init__.py", "health.py", "eligibility/cli.py", "auth/sso.py",
}
WEB_FOLDERS = ("api/", "web/", "staff/")  # staff/ holds views only
WEB_NAMES = ("routes.py", "forms.py")

#: Domain modules that still reach for Flask, each with what keeps it there. The list may only
#: shrink: a module that no longer imports Flask must leave it (the last test says so).
NOT_YET_MOVED = {
    "audit/log.py": "labels of audit entries are flask_babel lazy strings",
    "auth/mails.py": "links made with url_for",
    "auth/tokens.py": "signs with current_app's SECRET_KEY",
    "exports.py": "reads SECRET_KEY from current_app",
    "ideas/similar_cache.py": "keeps its index on the Flask app",
    "models/user.py": "flask_login's UserMixin",
    "notifications/digests.py": "reads its settings from current_app.config",
    "notifications/messages.py": "links made with url_for",
    "notifications/settings.py": "signs unsubscribe tokens with current_app's SECRET_KEY",
    "pairwise/refits.py": "keeps its refit state on the Flask app",
    "pairwise/service.py": "asks app/web/voter.py for the request's voter; flask_babel messages",
    "pairwise/tokens.py": "signs pair tokens with current_app's SECRET_KEY; flask_babel messages",
    "results/ranking.py": "asks for the standings job once per key, noted on current_app.extensions",
    "sessions/display.py": "links with url_for, dates with flask_babel in the request's locale",
    "sessions/offline.py": "reads current_app.static_folder and makes URLs",
    "sessions/participants.py": "signs with current_app's SECRET_KEY; flask_babel messages",
    "sessions/results.py": "caches on current_app.extensions",
    "sessions/service.py": "uses the cookie session, current_user and abort()",
}


def modules() -> list[tuple[str, Path]]:
    return sorted((str(p.relative_to(APP)), p) for p in APP.rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def is_web(name: str) -> bool:
    area_blueprint = name.count("/") == 1 and name.endswith("/__init__.py")
    return (name in WEB_FILES or area_blueprint or name.startswith(WEB_FOLDERS)
            or name.rsplit("/", 1)[-1] in WEB_NAMES)


def web_imports(path: Path) -> set[str]:
    return {m for m in imported(path)
            if m.split(".")[0] in WEB_LIBRARIES and not m.startswith(ALLOWED_IN_DOMAIN)}


def area_of(name: str) -> str | None:
    return name.split("/", 1)[0] if "/" in name else None


DOMAIN = [(n, p) for n, p in modules() if not is_web(n) and n not in NOT_YET_MOVED]


@pytest.mark.parametrize("name, path", DOMAIN, ids=[n for n, _ in DOMAIN])
def test_domain_modules_do_not_import_the_web(name, path):
    assert web_imports(path) == set(), f"app/{name} is a domain module"


@pytest.mark.parametrize("name, path", modules(), ids=[n for n, _ in modules()])
def test_no_module_imports_a_view_of_another_area(name, path):
    """Only the app factory attaches views; a view shared by two areas belongs in app/web/."""
    if name == "__init__.py":
        return
    views = {m for m in imported(path) if m.startswith("app.") and (m.endswith(".routes") or m.startswith("app.api."))}
    foreign = {m for m in views if m.split(".")[1] != area_of(name)}
    assert foreign == set(), f"app/{name} imports the views {foreign}"


def test_the_not_yet_moved_list_only_shrinks():
    names = dict(modules())
    gone = [n for n in NOT_YET_MOVED if n not in names]
    clean = [n for n in NOT_YET_MOVED if n in names and not web_imports(names[n])]
    assert gone == [] and clean == [], f"remove from NOT_YET_MOVED: {gone + clean}"


def test_the_walk_sees_a_violation(tmp_path):
    """A mutation probe: a domain module importing Flask is caught."""
    probe = tmp_path / "rules.py"
    probe.write_text("from flask import current_app\nimport flask_babel.speaklater\n", encoding="utf-8")
    assert web_imports(probe) == {"flask", "flask_babel.speaklater"}
    assert not is_web("ideas/rules.py") and is_web("ideas/routes.py") and is_web("ideas/__init__.py")
