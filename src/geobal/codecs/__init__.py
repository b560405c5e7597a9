"""Readers and writers of every format geobal reads or writes, in one registry."""
