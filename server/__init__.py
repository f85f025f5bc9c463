"""Kinboard: a real-time shared board for strengths-based family meetings."""
