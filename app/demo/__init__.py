"""The demo organisation: real people, cohorts and progress, loaded once through the services."""

from app.demo.loader import demo_logins, load_demo

__all__ = ["demo_logins", "load_demo"]
