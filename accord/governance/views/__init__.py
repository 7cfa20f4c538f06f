"""Governance pages, one module per feature."""
