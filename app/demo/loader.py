"""Load the demo organisations once; a second run changes nothing."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from app.demo.world import build_world
from app.extensions import db
from app.models import Organisation, User
from config import INSTANCE_DIR

DEMO_SLUGS = ("northgate", "eastbrook")  # eastbrook is created last, so both present = complete
PASSWORD_FILE = INSTANCE_DIR / "demo-password"


def demo_password() -> str:
    """Generated on first load and kept outside the repository."""
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text().strip()
    INSTANCE_DIR.mkdir(exist_ok=True)
    password = "-".join(secrets.choice(_WORDS) for _ in range(4))
    PASSWORD_FILE.write_text(password)
    PASSWORD_FILE.chmod(0o600)
    return password


_WORDS = (
    "harbour maple lantern orbit meadow copper violet saddle pebble river thistle beacon willow "
    "summit falcon amber quartz hollow tundra cobalt"
).split()


def load_demo() -> bool:
    """Create the demo data unless it is there already; True when something was created."""
    slugs = set(db.session.scalars(select(Organisation.slug).where(Organisation.slug.in_(DEMO_SLUGS))))
    if slugs == set(DEMO_SLUGS):
        return False
    if slugs:
        raise RuntimeError(
            "An earlier demo load stopped half-way; remove instance/waymark.db (or the demo organisations) and retry"
        )
    build_world(demo_password())
    return True


def demo_logins() -> list[str]:
    users = db.session.scalars(
        select(User).join(Organisation).where(User.email.like("%.example")).order_by(Organisation.slug, User.id)
    ).all()
    named = [u for u in users if u.email.split("@")[0] in _SHOWN]
    lines = ["Demo logins (password: " + demo_password() + "):"]
    lines += [f"  {u.role:<10} {u.email:<36} {u.full_name}" for u in named]
    return lines


_SHOWN = {"admin", "lead", "preceptor", "preceptor2", "assessor", "learner", "apprentice", "hcsw"}
