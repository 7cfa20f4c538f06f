"""Communication signals per party direction and ISO week, for a whole portfolio in one call.

Plain NumPy over plain arrays; no Django. The caller (accord/communication/evidence.py) turns
rows into these arrays and the result back into long-format evidence rows.

Conventions, chosen so every number explains itself:

- Time is in **days since 1970-01-01 (UTC)**, as float64 for moments (messages, concerns) and
  as whole numbers for calendar dates (notice given and effective dates). A week is the ISO week
  starting on Monday; ``first_monday`` is the day number of the first Monday of the grid.
- A **direction** is an ordered pair of parties of one partnership (from → to). Its ``window``
  (first day, day after the last) is when the partnership existed and could communicate: outside
  it every signal is unknown (NaN), inside it a count with no events is a real zero.
- **messages**: joint messages by the ``from`` party, counted once towards every other party.
- **reply_hours_median**: a message is a reply when the message just before it in the same
  thread came from another party; its reply time is the gap to that message, attributed to
  (replier → the party it answers) in the week of the reply. NaN in a week with no reply.
- **notices**, **short_notices**, **notice_lead_days_median**: change notices by the ``from``
  party in the week they were given; lead days = effective date − given date (negative when given
  after the change took effect); short when lead < the notice period in force when it was given
  (stored on each notice). A change reported as having come with no notice at all counts as a
  short notice of the party that made it, in the week of the report, with no lead time.
- **concerns_raised** (raiser → each other party, week raised) and **concerns_answered**
  (answering party → raiser, week of the first response from outside the raising party).
  Concerns raised under full anonymity have no party and so no direction: they are left out.
- **longest_silence_days**: within the week (clipped to the window), the longest stretch without
  a message from ``from`` to ``to``; a stretch that began before the week counts whole (from the
  last message, or from the window's start when there was none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SIGNALS = (
    "messages",
    "reply_hours_median",
    "notices",
    "notice_lead_days_median",
    "short_notices",
    "concerns_raised",
    "concerns_answered",
    "longest_silence_days",
)
NO_PARTY = -1


class CommunicationInputError(ValueError):
    """Arrays that do not fit together (lengths differ, an unknown party, a bad window)."""


@dataclass(frozen=True)
class Directions:
    """Every ordered pair of parties that can talk, with the days it existed [start, end)."""

    from_party: IntArray
    to_party: IntArray
    window_start: FloatArray
    window_end: FloatArray


@dataclass(frozen=True)
class Messages:
    """Joint messages only: internal threads are one organization talking to itself."""

    thread: IntArray
    party: IntArray
    at: FloatArray


@dataclass(frozen=True)
class Notices:
    party: IntArray
    given_on: IntArray
    effective_on: IntArray
    agreed_days: IntArray
    unannounced: BoolArray  # a change reported after the fact: no notice was given


@dataclass(frozen=True)
class Concerns:
    party: IntArray  # NO_PARTY under full anonymity
    raised_at: FloatArray
    answered_by: IntArray  # NO_PARTY when nobody from another party has answered
    answered_at: FloatArray


@dataclass(frozen=True)
class Signals:
    """One (directions × weeks) array per signal; NaN means no evidence."""

    directions: Directions
    first_monday: int
    weeks: int
    values: dict[str, FloatArray]


def _lookup(directions: Directions, frm: IntArray, to: IntArray) -> IntArray:
    """Index of each (from, to) pair among the directions (the first one if repeated), or -1."""
    d = len(directions.from_party)
    if d == 0:
        return np.full(len(frm), -1, dtype=np.int64)
    order = np.argsort(directions.from_party, kind="stable")
    sorted_from = directions.from_party[order]
    top = int(max(sorted_from[-1], frm.max(initial=-1))) + 1
    if sorted_from[0] >= 0 and top <= 8 * (d + len(frm)) + 1024:
        # Dense party ids (database keys): each event's candidates are the few directions of
        # its ``from`` party, reached by a gather instead of a binary search.
        per_party = np.bincount(sorted_from, minlength=top)
        first = np.cumsum(per_party) - per_party
        known = frm >= 0
        safe = np.where(known, frm, 0)
        lo = first[safe]
        counts = np.where(known, per_party[safe], 0)
        sorted_to = directions.to_party[order]
        found = np.full(len(frm), -1, dtype=np.int64)
        for j in range(int(counts.max(initial=0))):
            pos = np.where(counts > j, lo + j, 0)
            hit = (counts > j) & (found < 0) & (sorted_to[pos] == to)
            found = np.where(hit, order[pos], found)
        return found
    base = np.int64(max(int(directions.to_party.max(initial=0)), int(to.max(initial=0))) + 1)
    keys = directions.from_party * base + directions.to_party
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    wanted = frm * base + to
    pos = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    return np.where(sorted_keys[pos] == wanted, order[pos], -1).astype(np.int64, copy=False)


def _fan_out(directions: Directions, party: IntArray) -> tuple[IntArray, IntArray, bool]:
    """For each event by a party: one (event index, direction index) per other party, and
    whether that is exactly one direction per event (the event indices are then 0, 1, …)."""
    order = np.argsort(directions.from_party, kind="stable")
    sorted_from = directions.from_party[order]
    top = int(max(sorted_from.max(initial=-1), party.max(initial=-1))) + 1
    if top <= 8 * (len(sorted_from) + len(party)) + 1024:
        # Party ids are database keys, dense enough for a lookup table: a gather per event
        # instead of a binary search (several times faster on millions of rows).
        per_party = np.bincount(sorted_from, minlength=top)
        first = np.cumsum(per_party) - per_party
        known = party >= 0
        safe = np.where(known, party, 0)
        lo = np.where(known, first[safe], 0)
        counts = np.where(known, per_party[safe], 0)
    else:
        lo = np.searchsorted(sorted_from, party, side="left")
        counts = np.searchsorted(sorted_from, party, side="right") - lo
    if len(counts) and bool(np.all(counts == 1)):
        return np.arange(len(party), dtype=np.int64), order[lo].astype(np.int64, copy=False), True
    event = np.repeat(np.arange(len(party), dtype=np.int64), counts)
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    direction = order[np.repeat(lo, counts) + offsets]
    return event, direction.astype(np.int64, copy=False), False


def stable_order(key: IntArray) -> IntArray:
    """A stable argsort of integer keys. NumPy radix-sorts 16-bit keys in linear time, so keys
    spanning fewer than 2**32 values are sorted in two such passes (low half, then high half)
    — several times faster than a comparison sort on millions of rows."""
    if len(key) == 0:
        return np.zeros(0, dtype=np.int64)
    shifted = key - key.min()
    span = int(shifted.max())
    if span < 2**16:
        return np.argsort(shifted.astype(np.uint16), kind="stable").astype(np.int64, copy=False)
    if span < 2**32:
        low = np.argsort((shifted & 0xFFFF).astype(np.uint16), kind="stable")
        high = np.argsort((shifted[low] >> 16).astype(np.uint16), kind="stable")
        return low[high].astype(np.int64, copy=False)
    return np.argsort(key, kind="stable").astype(np.int64, copy=False)


def _sorted_keys(key: IntArray, order: IntArray) -> IntArray:
    """``key[order]`` for a stable order of ``key``: rebuilt from counts when the keys are dense
    (a sequential write instead of a random gather over millions of rows)."""
    if len(key) == 0:
        return key[order]
    low = int(key.min())
    span = int(key.max()) - low + 1
    if span > 8 * len(key) + 1024:
        return key[order]
    counts = np.bincount(key - low, minlength=span)
    return np.repeat(np.arange(low, low + span, dtype=np.int64), counts)


def _by_key_then_time(key: IntArray, at: FloatArray) -> IntArray:
    """Order by (key, at). Rows already in time order need only a stable sort on the key."""
    if len(at) < 2 or bool(np.all(at[1:] >= at[:-1])):
        return stable_order(key)
    return np.lexsort((at, key))


def _week(day: FloatArray | IntArray, first_monday: int) -> IntArray:
    return np.floor_divide(np.floor(day).astype(np.int64) - first_monday, 7)


def _cells(direction: IntArray, week: IntArray, weeks: int, keep: BoolArray) -> IntArray:
    keep = keep & (week >= 0) & (week < weeks) & (direction >= 0)
    return (direction * weeks + week)[keep]


def _count(cells: IntArray, size: int) -> FloatArray:
    return np.bincount(cells, minlength=size).astype(np.float64)


def _median(cells: IntArray, values: FloatArray, size: int) -> FloatArray:
    """Median per cell. Most cells hold one or two values, whose median is their sum (or half of
    it) — a bincount, no sort; only the rows of larger cells are sorted, by (cell, value)."""
    out = np.full(size, np.nan)
    if len(cells) == 0:
        return out
    n = np.bincount(cells, minlength=size)
    total = np.bincount(cells, weights=values, minlength=size)  # a + b, exactly
    np.divide(total, n, out=out, where=(n == 1) | (n == 2))
    big = n[cells] > 2
    if big.any():
        bc, bv = cells[big], values[big]
        by = np.lexsort((bv, bc))
        bc, bv = bc[by], bv[by]
        bstarts = np.flatnonzero(np.r_[True, bc[1:] != bc[:-1]])
        bn = np.diff(np.r_[bstarts, len(bc)])
        out[bc[bstarts]] = (bv[bstarts + (bn - 1) // 2] + bv[bstarts + bn // 2]) / 2
    return out


def _check(directions: Directions, *groups: tuple[npt.NDArray[np.generic], ...]) -> None:
    d = len(directions.from_party)
    if not (
        len(directions.to_party) == len(directions.window_start) == len(directions.window_end) == d
    ):
        raise CommunicationInputError("Direction arrays differ in length.")
    if np.any(directions.window_end < directions.window_start):
        raise CommunicationInputError("A direction's window ends before it starts.")
    for arrays in groups:
        if len({len(a) for a in arrays}) > 1:
            raise CommunicationInputError("Event arrays differ in length.")


def communication_signals(
    directions: Directions,
    messages: Messages,
    notices: Notices,
    concerns: Concerns,
    *,
    first_monday: int,
    weeks: int,
) -> Signals:
    """All eight signals for every direction and week in one vectorized pass."""
    if weeks < 0:
        raise CommunicationInputError("The number of weeks cannot be negative.")
    _check(
        directions,
        (messages.thread, messages.party, messages.at),
        (
            notices.party,
            notices.given_on,
            notices.effective_on,
            notices.agreed_days,
            notices.unannounced,
        ),
        (concerns.party, concerns.raised_at, concerns.answered_by, concerns.answered_at),
    )
    d = len(directions.from_party)
    size = d * weeks
    week_start = first_monday + 7.0 * np.arange(weeks)
    lo = np.maximum(week_start[None, :], directions.window_start[:, None])
    hi = np.minimum(week_start[None, :] + 7.0, directions.window_end[:, None])
    existed = (hi > lo).ravel()

    values: dict[str, FloatArray] = {}

    # Messages in time order once, so later orderings need only a stable sort on one key.
    if len(messages.at) > 1 and not bool(np.all(messages.at[1:] >= messages.at[:-1])):
        by_time = np.argsort(messages.at, kind="stable")
        messages = Messages(messages.thread[by_time], messages.party[by_time], messages.at[by_time])
    # Messages, fanned out to every other party.
    m_event, m_dir, one_each = _fan_out(directions, messages.party)
    # One direction per message (two-party partnerships) leaves the events in place: no gather.
    m_at = messages.at if one_each else messages.at[m_event]
    m_week = _week(m_at, first_monday)
    inside = (m_at >= directions.window_start[m_dir]) & (m_at < directions.window_end[m_dir])
    values["messages"] = _count(_cells(m_dir, m_week, weeks, inside), size)

    # Replies: the previous message in the thread came from another party.
    order = stable_order(messages.thread)  # messages are in time order by now
    th = _sorted_keys(messages.thread, order)
    pa, at = messages.party[order], messages.at[order]
    is_reply = np.r_[False, (th[1:] == th[:-1]) & (pa[1:] != pa[:-1])]
    idx = np.flatnonzero(is_reply)
    r_dir = _lookup(directions, pa[idx], pa[idx - 1])
    r_hours = (at[idx] - at[idx - 1]) * 24.0
    r_week = _week(at[idx], first_monday)
    r_keep = (r_dir >= 0) & (r_week >= 0) & (r_week < weeks)
    values["reply_hours_median"] = _median((r_dir * weeks + r_week)[r_keep], r_hours[r_keep], size)

    # Change notices (and unannounced changes), fanned out to every other party.
    n_event, n_dir, _ = _fan_out(directions, notices.party)
    n_week = _week(notices.given_on[n_event], first_monday)
    lead = (notices.effective_on - notices.given_on).astype(np.float64)
    announced = ~notices.unannounced
    short = notices.unannounced | (lead < notices.agreed_days)
    values["notices"] = _count(_cells(n_dir, n_week, weeks, announced[n_event]), size)
    values["short_notices"] = _count(_cells(n_dir, n_week, weeks, short[n_event]), size)
    lead_keep = announced[n_event] & (n_week >= 0) & (n_week < weeks)
    values["notice_lead_days_median"] = _median(
        (n_dir * weeks + n_week)[lead_keep], lead[n_event][lead_keep], size
    )

    # Concerns raised (towards every other party) and answered (answerer → raiser).
    c_event, c_dir, _ = _fan_out(directions, concerns.party)
    c_week = _week(concerns.raised_at[c_event], first_monday)
    values["concerns_raised"] = _count(
        _cells(c_dir, c_week, weeks, np.ones(len(c_event), dtype=bool)), size
    )
    answered = (concerns.answered_by != NO_PARTY) & (concerns.party != NO_PARTY)
    a_dir = _lookup(directions, concerns.answered_by[answered], concerns.party[answered])
    a_week = _week(concerns.answered_at[answered], first_monday)
    values["concerns_answered"] = _count(
        _cells(a_dir, a_week, weeks, np.ones(len(a_dir), dtype=bool)), size
    )

    values["longest_silence_days"] = _longest_silence(
        directions, m_dir[inside], m_at[inside], first_monday, weeks, lo, hi
    )

    never = ~existed
    for name in SIGNALS[:-1]:
        np.putmask(values[name], never, np.nan)
    return Signals(
        directions=directions,
        first_monday=first_monday,
        weeks=weeks,
        values={name: values[name].reshape(d, weeks) for name in SIGNALS},
    )


def _longest_silence(
    directions: Directions,
    m_dir: IntArray,
    m_at: FloatArray,
    first_monday: int,
    weeks: int,
    lo: FloatArray,
    hi: FloatArray,
) -> FloatArray:
    """Per cell: max(gaps that end at a message inside the week, the open gap at the week's end).

    Messages arrive in time order, so a stable sort on the direction puts them in (direction,
    time) order: the cells are then sorted too, and per-cell maxima and last messages are
    segment reductions instead of scattered ``ufunc.at`` updates."""
    d = len(directions.from_party)
    size = d * weeks
    out = np.full(size, -np.inf)
    last = np.full(size, -np.inf)
    if len(m_dir):
        order = stable_order(m_dir)  # m_at is in time order already
        per_dir = np.bincount(m_dir, minlength=d)
        md = np.repeat(np.arange(d, dtype=np.int64), per_dir)  # == m_dir[order], no gather
        mt = m_at[order]
        prev = np.empty_like(mt)
        prev[1:] = mt[:-1]
        first_rows = (np.cumsum(per_dir) - per_dir)[per_dir > 0]
        prev[first_rows] = directions.window_start[md[first_rows]]
        week = _week(mt, first_monday)
        ok = (week >= 0) & (week < weeks)
        cells = md[ok] * weeks + week[ok]
        if len(cells):
            gaps = (mt - prev)[ok]
            times = mt[ok]
            change = np.flatnonzero(cells[1:] != cells[:-1])
            starts = np.r_[0, change + 1]
            ends = np.r_[change, len(cells) - 1]
            out[cells[starts]] = np.maximum.reduceat(gaps, starts)
            last[cells[ends]] = times[ends]  # the latest message of each cell
        # Seed week 0 with the last message before the grid, unless week 0 has its own.
        before = week < 0
        early = np.flatnonzero(before)
        if len(early):
            next_early = np.r_[before[1:] & (md[1:] == md[:-1]), False]
            tail = early[~next_early[early]]
            seed = md[tail] * weeks
            last[seed] = np.maximum(last[seed], mt[tail])
    last = np.maximum.accumulate(last.reshape(d, weeks), axis=1)
    np.maximum(last, directions.window_start[:, None], out=last)
    np.subtract(hi, last, out=last)  # the open gap at the week's end
    result = out.reshape(d, weeks)  # a view: the cells are written in place
    np.maximum(result, last, out=result)
    np.putmask(result, ~(hi > lo), np.nan)
    return out
