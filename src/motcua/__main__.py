"""The ``motcua`` console command: Django's management commands under one name.

Operators type ``motcua migrate`` or ``motcua import-divisions``; a hyphenated name maps to
the command module with underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "motcua"
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
