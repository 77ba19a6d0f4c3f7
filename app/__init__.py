"""The Waymark web application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, request, send_from_directory
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import api, cli, errors, operations, refusals, security, templating
from app.auth import bp as auth_bp
from app.calendar import bp as calendar_bp
from app.calendar import feed_bp as calendar_feed_bp
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.footer import bp as footer_bp
from app.home import bp as home_bp
from app.importing import bp as importing_bp
from app.jobs import bp as jobs_bp
from app.lead import bp as lead_bp
from app.learner import bp as learner_bp
from app.notifications import bp as notifications_bp
from app.people import bp as people_bp
from app.portfolio import bp as portfolio_bp
from app.portfolio.public import bp as public_bp
from app.preceptor import bp as preceptor_bp
from app.programme_settings import bp as settings_bp
from app.programme_settings.enrolment_routes import bp as enrolment_settings_bp
from app.protected_time import bp as protected_time_bp
from app.reporting import bp as reporting_bp
from app.search import bp as search_bp
from app.services.catalogue import startup_problems
from app.sso import bp as sso_bp
from app.two_factor.routes import bp as two_factor_bp

LIVENESS_ENDPOINT = "operations.healthz"
NHSUK_DIST = Path(__file__).resolve().parent.parent / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder="static")
    app.config.from_object("config.Config")
    if test_config:
        app.config.update(test_config)
    if app.config.get("HTTPS"):
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")
    if proxies := app.config["TRUSTED_PROXIES"]:  # the client's address, as the trusted proxies saw it
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [FileSystemLoader(Path(__file__).parent / "templates"), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
    }
    register_extensions(app)
    operations.register(app)
    security.register(app)
    register_blueprints(app)
    register_assets(app)
    errors.register(app)
    refusals.register(app)
    cli.register(app)
    templating.register(app)
    register_definition_check(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"), render_as_batch=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(learner_bp)
    app.register_blueprint(preceptor_bp)
    app.register_blueprint(lead_bp)
    app.register_blueprint(importing_bp)
    api.register(app)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(portfolio_bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(enrolment_settings_bp)
    app.register_blueprint(protected_time_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(sso_bp)
    app.register_blueprint(two_factor_bp)
    app.register_blueprint(footer_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(calendar_feed_bp)
    app.register_blueprint(jobs_bp)


def register_definition_check(app: Flask) -> None:
    """Refuse to serve while a definition file differs from the stored copy its enrolments are pinned to.

    Checked before the first request each process serves, not inside ``create_app``: the CLI builds
    this same app and must still run (``flask pathways validate`` names the problem, ``flask db
    upgrade`` creates the tables), and tests build it before migrating. Until the database answers
    and is migrated, and while a problem remains, every request checks again; once clean, never.
    Every path answers 503, the readiness probe included, so a load balancer keeps the old release;
    only ``/healthz`` (the process is alive) still answers.
    """
    passed = False

    @app.before_request
    def _check_definitions() -> Response | None:
        nonlocal passed
        if passed or request.endpoint == LIVENESS_ENDPOINT:  # the process answers, whatever the database holds
            return None
        problems = startup_problems()
        if problems:
            for problem in problems:
                app.logger.critical(problem)
            text = "Waymark cannot serve until these definition files are mended:\n" + "\n".join(problems)
            return Response(text + "\n", 503, {"Retry-After": "300"}, mimetype="text/plain")
        passed = problems is not None
        return None


def register_assets(app: Flask) -> None:
    """NHS.UK frontend CSS, JS and icons come from the npm package installed by ``make``."""

    @app.route("/static/nhsuk/<path:filename>", endpoint="nhsuk_static")
    def nhsuk_static(filename: str):
        return send_from_directory(NHSUK_DIST, filename, max_age=3600)

    @app.route("/assets/<path:filename>", endpoint="nhsuk_assets")
    def nhsuk_assets(filename: str):
        return send_from_directory(NHSUK_DIST / "assets", filename, max_age=3600)
