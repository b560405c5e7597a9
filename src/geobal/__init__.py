"""geobal: query sourced data on strategic balancing from the command line."""

# The one version source: pyproject.toml reads it from here (hatch's version path), and
# the parse cache keys its entries with it, which importlib.metadata would make slow.
__version__ = "0.1.0"
