"""Run geobal as `python -m geobal`."""

from geobal.launch import main

main()
