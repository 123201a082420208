"""Demo content: a real square with realistic ideas, for trying Plaza out."""
