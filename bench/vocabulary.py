"""Names and proportions for the synthetic data: plausible NHS trusts, staff and programme mix."""

from __future__ import annotations

SITE_NAMES = (
    "General Hospital|Community Hospital|Women's and Children's|Mental Health Unit|Rehabilitation Centre|"
    "Day Surgery Unit|Urgent Treatment Centre"
).split("|")
# Registered professions on preceptorship: adult nursing is the largest intake.
PROFESSIONS = ["adult_nursing"] * 6 + (
    "mental_health_nursing child_nursing midwifery physiotherapy occupational_therapy radiography paramedic "
    "operating_department_practice"
).split()
SUPPORT_ROLES = ["healthcare_support_worker"]
PROGRAMME_MIX = {
    "preceptorship": 0.45,
    "wecare-support-worker": 0.15,
    "healthcare-works-apprenticeship": 0.1,
    "healthcare-works-jobs": 0.08,
    "care-development-placement": 0.08,
    "higher-development-award": 0.08,
    "pre-employment-placement": 0.06,
}
TABLES = (
    "organisations sites users cohorts enrolments preceptor_assignments transition_events reviews "
    "review_confirmations sign_off_events checks confirmations hours_entries"
).split()
FIRST = (
    "Amira Ben Chloe Dafydd Eilidh Femi Grace Harpreet Ioana Jack Kofi Léa Mohammed Niamh Oluwaseun Priya Rhys "
    "Siobhán Tomasz Zainab"
).split()
LAST = (
    "Adeyemi Brown Chowdhury Davies Evans Fitzgerald Gallagher Hughes Iqbal Jones Kowalski Mensah Nowak O'Brien "
    "Patel Smith-Jones Taylor Williams Wright Zhang"
).split()
