"""Benchmarks: run by hand or with `make bench`, never as part of the test suite."""
