"""The synthetic programme rows: enrolments, their preceptors and everything simulated on them, bulk-written."""

from __future__ import annotations

import random
from datetime import timedelta

from bench import simulate
from bench.vocabulary import PROGRAMME_MIX, SUPPORT_ROLES


def write_programmes(
    writer, plan, definitions, version_ids, competencies, seed, today, hours_per_enrolment, active_only=False
):
    rng: random.Random = plan["rng"]
    ids: simulate.Ids = plan["ids"]
    rows = simulate.Rows()
    cohorts_by = {}
    for cohort in plan["cohorts"]:
        if cohort[4] <= today + timedelta(days=60):
            cohorts_by.setdefault((cohort[1], cohort[2]), []).append(cohort)
    keys, weights = list(PROGRAMME_MIX), list(PROGRAMME_MIX.values())
    enrolment_rows, assignments = [], []
    for learner_id, org_id, profession in plan["learners"]:
        key = "preceptorship" if profession != SUPPORT_ROLES[0] else rng.choices(keys[1:], weights[1:])[0]
        cohort = rng.choice(cohorts_by[(org_id, key)])
        start = cohort[4] + timedelta(days=rng.choice((0, 0, 0, 7, 14)))
        if active_only:  # started within the programme's length, so still in progress today
            length, _ = simulate.plan(definitions[key], start)
            start = today - timedelta(days=rng.randint(0, max(0, int(length * 0.9))))
        preceptor_id = rng.choice(plan["preceptors"][org_id])
        enrolment_id = ids.take("enrolments")
        stage, state, entered = simulate.simulate(
            rng,
            ids,
            rows,
            (enrolment_id, learner_id, preceptor_id, start),
            definitions[key],
            competencies[key],
            today,
            in_progress=active_only,
        )
        enrolment_rows.append(
            (
                enrolment_id,
                org_id,
                learner_id,
                version_ids[key],
                key,
                cohort[0],
                rng.choice(plan["sites_by_org"][org_id]),
                start,
                stage,
                entered,
                state,
            )
        )
        assignments.append((ids.take("preceptor_assignments"), enrolment_id, preceptor_id, start, None, ""))
    w = writer
    w.write(
        "enrolments",
        [
            "id",
            "organisation_id",
            "learner_id",
            "pathway_version_id",
            "pathway_key",
            "cohort_id",
            "site_id",
            "start_date",
            "stage",
            "stage_entered_on",
            "state",
        ],
        enrolment_rows,
        created_at=w.now,
    )
    w.write(
        "preceptor_assignments",
        ["id", "enrolment_id", "preceptor_id", "assigned_on", "ended_on", "reason"],
        assignments,
        created_at=w.now,
    )
    w.write(
        "transition_events",
        [
            "id",
            "enrolment_id",
            "action",
            "from_stage",
            "to_stage",
            "from_state",
            "to_state",
            "effective_on",
            "new_end",
            "reason",
            "actor_id",
        ],
        rows.transition_events,
        created_at=w.now,
    )
    w.write(
        "reviews",
        [
            "id",
            "enrolment_id",
            "slot",
            "due_on",
            "held_on",
            "outcome",
            "notes",
            "agreed_actions",
            "corrects_id",
            "recorded_by_id",
        ],
        rows.reviews,
        created_at=w.now,
    )
    w.write(
        "review_confirmations", ["id", "review_id", "user_id", "as_role"], rows.review_confirmations, created_at=w.now
    )
    w.write(
        "sign_off_events",
        ["id", "enrolment_id", "competency_id", "sequence", "action", "evidence", "comment", "actor_id", "created_at"],
        rows.sign_off_events,
    )
    w.write(
        "checks",
        ["id", "enrolment_id", "kind", "result", "checked_on", "notes", "recorded_by_id"],
        rows.checks,
        created_at=w.now,
    )
    w.write(
        "confirmations", ["id", "enrolment_id", "name", "note", "recorded_by_id"], rows.confirmations, created_at=w.now
    )
    hours = simulate.hours(rows.hours_spans, hours_per_enrolment * len(enrolment_rows), seed)
    total = w.write_hours(hours, ids.next["hours_entries"])
    return {
        "enrolments": len(enrolment_rows),
        "transition_events": len(rows.transition_events),
        "reviews": len(rows.reviews),
        "review_confirmations": len(rows.review_confirmations),
        "sign_off_events": len(rows.sign_off_events),
        "checks": len(rows.checks),
        "hours_entries": total,
    }
