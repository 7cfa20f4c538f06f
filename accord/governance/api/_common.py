"""Path parameters shared by the governance API's handlers."""

from ninja import Path

Id = Path(..., ge=1, le=2**53)


BASE = "/partnerships/{partnership_id}/governance"
