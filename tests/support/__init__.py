"""Helpers shared by the test packages: one module per topic, no tests here."""
