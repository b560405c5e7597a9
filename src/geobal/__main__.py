"""Run geobal as `python -m geobal`."""

from geobal.cli import main

main()
