"""The pure audit engine (ICSS, seed 002)."""
