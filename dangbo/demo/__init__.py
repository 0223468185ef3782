"""The demonstration data set: a provincial bloc committee like the seeds (see build.py)."""
