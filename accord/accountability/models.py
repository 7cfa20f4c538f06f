"""Models of this capability."""
