"""Measuring the feedback against ground truth: labels, scoring, evaluation over many clips."""
