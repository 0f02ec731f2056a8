"""The ``fugong`` console command: Django's manage.py plus demo, seed, serve, token, worker."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fugong.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs with debug on and a generated secret key unless told otherwise.
        os.environ.setdefault("FUGONG_DEBUG", "1")
    from fugong.lib.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ConfigError as exc:
        sys.stderr.write(f"fugong: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
