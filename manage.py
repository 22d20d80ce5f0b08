#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.config.settings")
    # manage.py is the developer's tool: without DEBUG in the environment it runs with the
    # development defaults (a generated key under var/). Servers start from crm.config.wsgi or
    # crm.config.asgi, where DEBUG is off unless set; a deployment sets DEBUG=0 explicitly.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
