"""Plain helpers every area shares, with no Flask import: CSV cells, ..."""
