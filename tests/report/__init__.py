"""Tests of perf.report: one module per report module (sections included)."""
