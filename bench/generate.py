"""Synthetic Waymark data at trust or national scale, bulk-written for benchmarks.

    python -m bench.generate --enrolments 2500 [--staff 7000] [--database-url URL] [--seed 1] [--active]

The schema comes from the migrations (``flask db upgrade``) on the target database first. Rows are
planned in memory and written with PostgreSQL ``COPY`` (or Core ``insert()`` executemany in big
batches elsewhere), never as ORM objects, so 200,000 enrolments take minutes rather than hours.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Organisation
from app.services.catalogue import catalogue, pathway_version
from app.services.passwords import hash_password
from bench import simulate
from bench.programme_rows import write_programmes
from bench.vocabulary import FIRST, LAST, PROFESSIONS, PROGRAMME_MIX, SITE_NAMES, SUPPORT_ROLES, TABLES
from bench.write import TableWriter
from config import Config

PASSWORD = "bench password 2026"
ENROLMENTS_PER_ORG = 2500
HOURS_PER_ENROLMENT = 50


def generate(
    database_url: str,
    enrolments: int,
    staff: int | None = None,
    seed: int = 1,
    today: date | None = None,
    hours_per_enrolment: int = HOURS_PER_ENROLMENT,
    verbose: bool = False,
    active_only: bool = False,
) -> dict[str, int]:
    """Migrate ``database_url`` and fill it; returns the rows written per table.

    ``active_only``: every enrolment in progress today (the reminder scan's national-scale case),
    rather than the mix of finished, withdrawn and on-hold enrolments a trust has over the years.
    """

    today = today or date.today()
    staff = staff or round(enrolments * 2.8)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        if db.session.scalar(select(Organisation.id).where(Organisation.slug.like(f"bench-{seed}-%")).limit(1)):
            raise SystemExit(f"bench data for seed {seed} is already in this database; use a fresh database")
        definitions = {
            d.key: d for d in catalogue() if d.version == max(x.version for x in catalogue() if x.key == d.key)
        }
        versions = {key: pathway_version(d) for key, d in definitions.items()}
        competencies = {key: [c.id for c in v.competencies] for key, v in versions.items()}
        version_ids = {key: v.id for key, v in versions.items()}
        db.session.commit()
        writer = TableWriter(db.engine)
        plan = _plan(random.Random(seed), seed, enrolments, staff, writer, hash_password(PASSWORD))
        counts = _write_people(writer, plan)
        counts |= write_programmes(
            writer, plan, definitions, version_ids, competencies, seed, today, hours_per_enrolment, active_only
        )
        started = time.perf_counter()
        writer.finish()
        writer.seconds["(sequences, ANALYZE)"] = time.perf_counter() - started
        db.engine.dispose()
    if verbose:
        print("seconds writing: " + ", ".join(f"{k} {v:.1f}" for k, v in writer.seconds.items() if v >= 0.5))
    return counts


def _plan(rng: random.Random, seed: int, enrolments: int, staff: int, writer: TableWriter, password_hash: str) -> dict:
    """Organisations, sites, staff and cohorts: small tables, planned as plain tuples."""
    orgs = max(1, round(enrolments / ENROLMENTS_PER_ORG))
    learners_needed = enrolments
    if staff < learners_needed + 4 * orgs:
        raise SystemExit(f"--staff must be at least {learners_needed + 4 * orgs} for {enrolments} enrolments")
    ids = simulate.Ids({t: writer.next_id(t) for t in TABLES})
    plan: dict = {
        "orgs": [],
        "sites": [],
        "users": [],
        "cohorts": [],
        "ids": ids,
        "rng": rng,
        "learners": [],
        "preceptors": {},
        "sites_by_org": {},
        "enrolments": enrolments,
    }
    for n in range(orgs):
        org_id = ids.take("organisations")
        plan["orgs"].append((org_id, f"bench-{seed}-{n + 1}", f"Bench Hospitals NHS Foundation Trust {n + 1}"))
        sites = [ids.take("sites") for _ in range(rng.randint(4, 7))]
        plan["sites"] += [(s, org_id, f"Bench {n + 1} {SITE_NAMES[i]}") for i, s in enumerate(sites)]
        plan["sites_by_org"][org_id] = sites
    per_org_staff = staff // orgs
    per_org_learners = [enrolments // orgs + (1 if i < enrolments % orgs else 0) for i in range(orgs)]
    employee = 0
    for (org_id, slug, _), learners in zip(plan["orgs"], per_org_learners, strict=True):
        sites = plan["sites_by_org"][org_id]
        others = per_org_staff - learners
        roles = ["admin"] + ["lead"] * 2 + ["preceptor"] * max(1, int(others * 0.35))
        roles += ["learner"] * (others - len(roles)) + ["new_learner"] * learners
        preceptors = []
        for role in roles:
            employee += 1
            user_id = ids.take("users")
            profession = rng.choice(PROFESSIONS) if role != "new_learner" or rng.random() < 0.5 else SUPPORT_ROLES[0]
            email = (
                f"{role.replace('new_', '')}{employee}@{slug}.example"
                if role in ("admin", "lead")
                else f"u{employee}@{slug}.example"
            )
            plan["users"].append(
                (
                    user_id,
                    org_id,
                    email,
                    FIRST[employee % len(FIRST)],
                    LAST[(employee * 7) % len(LAST)],
                    role.replace("new_", ""),
                    f"E{employee:07d}",
                    rng.choice(sites),
                    profession,
                    "5" if role == "new_learner" else "6",
                    password_hash,
                )
            )
            if role == "preceptor":
                preceptors.append(user_id)
            elif role == "new_learner":
                plan["learners"].append((user_id, org_id, profession))
        plan["preceptors"][org_id] = preceptors
        for key in PROGRAMME_MIX:
            for q in range(8):  # quarterly intakes over two years
                start = date(2024, 9, 1) + timedelta(days=91 * q)
                plan["cohorts"].append(
                    (ids.take("cohorts"), org_id, key, f"{key.replace('-', ' ').title()} {start:%B %Y}", start)
                )
    return plan


def _write_people(writer: TableWriter, plan: dict) -> dict[str, int]:
    now = datetime.now(UTC)
    writer.write("organisations", ["id", "slug", "name"], plan["orgs"], created_at=now)
    writer.write("sites", ["id", "organisation_id", "name"], plan["sites"])
    writer.write(
        "users",
        [
            "id",
            "organisation_id",
            "email",
            "first_name",
            "last_name",
            "role",
            "employee_number",
            "site_id",
            "profession",
            "band",
            "password_hash",
        ],
        plan["users"],
        created_at=now,
        is_enabled=True,
        session_version=1,
        age_band_at_start="",
    )
    writer.write(
        "cohorts", ["id", "organisation_id", "pathway_key", "name", "start_date"], plan["cohorts"], created_at=now
    )
    return {
        "organisations": len(plan["orgs"]),
        "sites": len(plan["sites"]),
        "users": len(plan["users"]),
        "cohorts": len(plan["cohorts"]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--enrolments", type=int, required=True)
    parser.add_argument("--staff", type=int, help="users in all (default 2.8 per enrolment: 7,000 at 2,500)")
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL, else the app's SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--active", action="store_true", help="every enrolment in progress today")
    args = parser.parse_args(argv)

    url = args.database_url or Config.SQLALCHEMY_DATABASE_URI
    started = time.perf_counter()
    counts = generate(url, args.enrolments, args.staff, args.seed, verbose=True, active_only=args.active)
    for table, count in counts.items():
        print(f"{table:22} {count:>12,}")
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
