"""``python -m cdo_cli`` runs the command line."""

from .cli import main

if __name__ == "__main__":  # not when a helper process (helpers.py) imports it
    main()
