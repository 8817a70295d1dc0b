"""Building blocks of the sample-organisation generator (private)."""
