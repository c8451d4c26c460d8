"""Renderers: plan → SQL, Alembic revisions, reports."""
