"""Tests of the learner side of the training package."""
