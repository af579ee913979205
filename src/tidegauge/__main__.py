"""``python -m tidegauge``: the same as the ``tidegauge`` command."""

from .cli import main

main()
