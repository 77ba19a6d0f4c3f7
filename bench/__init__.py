"""Benchmarks: a synthetic data generator and timed runs that print figures (never asserted in tests)."""
