"""Pages of the economics capability, one module per feature."""
