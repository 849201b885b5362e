"""Validate and load the frameworks shipped as data files in social_value/frameworks/.
Re-running changes nothing; a file with an error loads nothing and names what is wrong."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commonground.audit.origin import command_origin

from ...services import SocialValueError, framework_save
from ...spec import FrameworkInvalid, from_toml, shipped_framework_files


class Command(BaseCommand):
    help = "Load the social value frameworks shipped with Common Ground (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        files = shipped_framework_files()
        if not files:
            raise CommandError("No framework files found.")
        try:
            with command_origin("load_social_value_frameworks"), transaction.atomic():
                for path in files:
                    spec = from_toml(path)
                    framework, word = framework_save(
                        spec, origin=f"data file: {path.name}", source=path.name
                    )
                    self.stdout.write(
                        f"{path.name}: {framework.name} ({framework.version}), "
                        f"{framework.measures.count()} measures — {word}."
                    )
        except FrameworkInvalid as error:
            raise CommandError(
                f"{error.source}: nothing was loaded.\n  " + "\n  ".join(error.problems)
            ) from error
        except SocialValueError as error:
            raise CommandError(f"{error.message}. Nothing was loaded.") from error
