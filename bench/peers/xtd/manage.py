#!/usr/bin/env python
"""The django-comments-xtd peer's manage.py (bench/peers/xtd/.venv/bin/python manage.py ...)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xtdpeer.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
