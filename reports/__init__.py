"""Cohort completion reports: pure pandas core (``timeline``, ``plan``, ``cohort``) and thin edges.

``frames.load`` reads the database in a fixed handful of queries; ``cohort.build`` turns those
frames into the report of docs/CONTRACT.md; ``export`` writes CSV, XLSX and JSON; ``charts``
draws with matplotlib's object API (never pyplot).
"""
