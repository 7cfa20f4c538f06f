"""Accord's pure computation: scores, indices, simulations and detectors.

Nothing here imports Django. Functions take plain data (dataclasses, NumPy arrays) and are
vectorized so that one call scores a whole portfolio.
"""
