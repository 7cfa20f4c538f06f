"""The trust tab's rounds, results and past-rounds sections, kept as HTML per state.

Reading the rounds, parties, response rates and the results' key, and rendering the lists,
cost most of the tab once results and evidence were kept. What those sections show is a
function of: the partnership's trust rounds and their instruments (edits save ``updated_at``;
what the services write without it — the promised k and ``invited_at`` when a round opens, a
new instrument version moved onto scheduled rounds — has its own checksum), the clock (a round
is scheduled, open or closed by the time: the key counts the rounds opened and closed by now,
and each count only grows while the rows stay as they are), the invitees (the rates: count and
who has answered), the answers of closed rounds (the results; closed, they never change), the
parties and their organizations' names, the partnership's k, whether the viewer may manage (the
"Schedule" buttons) and the language. The key names each (``accord.fingerprint``, one query).
Nothing in these sections differs per viewer otherwise; the viewer's own invitations and the
stage section stay outside, read per request. No form or CSRF token is kept. See accord/kept.py.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from accord import fingerprint as fp
from accord.domain import trust as domain
from accord.kept import Memory
from accord.partnerships.models import Organization, Partnership, Party
from accord.trust import presenters, selectors
from accord.trust.models import Instrument, Invitee, Response, SurveyRound
from accord.trust.results_cache import presented

PREFIX = "trust-overview:v1:"
SECTIONS = ("actions", "rounds", "body")
memory = Memory(512)

OPENED = "SUM(CASE WHEN t.opens_at <= %s THEN 1 ELSE 0 END)"
CLOSED = "SUM(CASE WHEN t.closes_at <= %s THEN 1 ELSE 0 END)"
ROUNDS = (
    *fp.ROWS,
    "MAX(t.updated_at)",
    OPENED,
    CLOSED,
    # Written with update_fields (no stamp) or QuerySet.update:
    "COUNT(t.invited_at)",
    "SUM(t.id * t.anonymity_k)",
    "SUM(t.id * t.instrument_id)",
    "SUM(LENGTH(i.name))",  # instruments have no stamp; a new version is a new row
)
INVITEES = (*fp.ROWS, "SUM(CASE WHEN t.responded THEN t.id ELSE 0 END)", "SUM(t.id * t.party_id)")
ANSWERS = ("COUNT(*)", "MIN(CAST(t.id AS TEXT))", "MAX(CAST(t.id AS TEXT))")  # random keys
PARTIES = (*fp.ROWS, "MAX(t.joined_at)", "SUM(o.id * t.id)", "SUM(LENGTH(o.name))")
OPEN_ANY = ("SUM(CASE WHEN t.opens_at <= %s AND t.closes_at > %s THEN 1 ELSE 0 END)",)


@dataclass(frozen=True)
class Overview:
    sections: dict[str, SafeString]
    open_rounds: bool  # of any kind: the viewer's invitations are read only when there are


def _state(partnership: Partnership, now: datetime) -> tuple[str, ...]:
    """The rows' part of the key, and (last) how many rounds of any kind are open; one query."""
    p = partnership.pk
    rounds = SurveyRound._meta.db_table
    trust = "t.partnership_id = %s AND t.kind = 'trust'"
    joined = "r.partnership_id = %s AND r.kind = 'trust'"
    return fp.read(
        fp.part(
            f"{rounds} t JOIN {Instrument._meta.db_table} i ON i.id = t.instrument_id",
            trust,
            [now, now, p],
            ROUNDS,
        ),
        fp.part(
            f"{Invitee._meta.db_table} t JOIN {rounds} r ON r.id = t.round_id",
            joined,
            [p],
            INVITEES,
        ),
        fp.part(
            f"{Response._meta.db_table} t JOIN {rounds} r ON r.id = t.round_id",
            joined + " AND r.closes_at <= %s",
            [p, now],
            ANSWERS,
        ),
        fp.part(
            f"{Party._meta.db_table} t JOIN {Organization._meta.db_table} o"
            " ON o.id = t.organization_id",
            "t.partnership_id = %s",
            [p],
            PARTIES,
        ),
        fp.part(f"{rounds} t", "t.partnership_id = %s", [now, now, p], OPEN_ANY),
    )


def _key(partnership: Partnership, state: tuple[str, ...], can_manage: bool) -> str:
    inputs = (
        partnership.pk,
        partnership.anonymity_k,
        can_manage,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        state,
    )
    return PREFIX + hashlib.sha256(repr(inputs).encode()).hexdigest()


def overview(partnership: Partnership, *, now: datetime, can_manage: bool) -> Overview:
    """The sections as HTML (kept, or drawn and kept) and whether any round is open."""
    state = _state(partnership, now)
    key = _key(partnership, state[:-1], can_manage)
    kept: dict[str, SafeString] | None = memory.get(key)
    if kept is None:
        context = _context(partnership, now, can_manage)
        kept = {
            name: SafeString(render_to_string(f"trust/_overview_{name}.html", context))
            for name in SECTIONS
        }
        memory.set(key, kept)
    return Overview(kept, state[-1] not in ("0", "None"))


def _context(partnership: Partnership, now: datetime, can_manage: bool) -> dict[str, Any]:
    # Every trust round and the parties are read once, for the list, the rates and the scores.
    surveys = selectors.rounds_for(partnership=partnership, kind=Instrument.Kind.TRUST)
    parties = selectors.parties_for(partnership=partnership)
    rates = selectors.response_rates_for(surveys=surveys, parties=parties)
    results = selectors.partnership_trust(
        partnership=partnership, now=now, rounds=surveys, parties=parties
    )
    rounds = [
        {"survey": s, "rates": rates[s.pk], "state": SurveyRound.State(s.state(now))}
        for s in surveys
    ]
    return {
        "partnership": partnership,
        "results": results,
        "results_html": presented(results, f"html:{translation.get_language()}", results_html),
        "current": [r for r in rounds if r["state"] != SurveyRound.State.CLOSED],
        "past": [r for r in rounds if r["state"] == SurveyRound.State.CLOSED],
        "can_manage": can_manage,
        "forms": [(presenters.FORM_LABELS[f], presenters.FORM_MEANINGS[f]) for f in domain.FORMS],
    }


def results_html(results: selectors.TrustResults) -> str:
    """The latest round's cells and gaps, the trends and the asymmetry chart: a function of the
    scored results (and the language) alone, so it is kept under the results' key."""
    latest = results.latest_number()
    return render_to_string(
        "trust/_results.html",
        {
            "partnership": results.partnership,
            "latest": results.rounds.get(latest) if latest else None,
            "rows": presenters.direction_rows(results, latest) if latest else [],
            "gaps": presenters.gap_rows(results, latest) if latest else [],
            "direction_charts": presented(results, "directions", presenters.direction_charts),
            "trends": presenters.trend_rows(results),
            "asymmetry_chart": presented(results, "asymmetry", presenters.asymmetry_chart),
            "alpha_min_n": domain.ALPHA_MIN_N,
            "alpha_warning": domain.ALPHA_WARNING,
            "asymmetry_flag": domain.ASYMMETRY_FLAG,
        },
    )
