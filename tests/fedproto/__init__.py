"""Test-only Flower apps for the federation process tests (tests/test_federation_e2e.py)."""
