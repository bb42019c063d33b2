"""Benchmarks: clients of the domain that time what a user waits for (``assay bench``)."""
