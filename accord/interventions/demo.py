"""Demo objectives and the recovering partnership's intervention (filled below)."""
