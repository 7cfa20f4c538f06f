"""Instruments as data (issue 15): definitions, their sheet form, and scoring by construct and
category with bands, vectorized over a whole portfolio."""
