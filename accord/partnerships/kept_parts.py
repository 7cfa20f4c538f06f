"""Fingerprint parts of partnership records that many kept sections show (see
accord/fingerprint.py and accord/kept.py)."""

from __future__ import annotations

from accord import fingerprint as fp
from accord.partnerships.models import Organization, Party

# Organizations have no change stamp: their ids and the lengths of their names.
ORGANIZATIONS = (*fp.ROWS, "SUM(o.id)", "SUM(LENGTH(o.name))")


def parties(partnership_pk: int) -> tuple:
    """The partnership's parties and their organizations' names, for ``fp.read``."""
    table = (
        f"{Party._meta.db_table} t JOIN {Organization._meta.db_table} o ON o.id = t.organization_id"
    )
    return fp.part(table, "t.partnership_id = %s", [partnership_pk], ORGANIZATIONS)
