"""Tests of perf.render: one module per render module."""
