"""``python -m pmo_kit`` runs the command-line interface."""

from pmo_kit.cli import main

main()
