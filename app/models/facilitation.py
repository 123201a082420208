"""Facilitated in-person sessions and their participants."""
