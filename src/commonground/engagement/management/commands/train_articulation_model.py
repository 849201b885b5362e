"""Train the articulation model from the labelled corpus and write its artefact (ADR 0022).

`manage.py train_articulation_model` reads the development set and the train split (never the
test split), chooses a classifier for each kind of label by grouped cross-validation, and writes
`engagement/analysis/model/articulation_model.{npz,json}`. Training on the same corpus again
writes the same files: commit them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commonground.engagement.analysis import corpus, model, training


class Command(BaseCommand):
    help = "Train the articulation model from the labelled corpus (never its test split)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--keep-choices",
            action="store_true",
            help="Refit the classifiers the committed model chose, without comparing others.",
        )
        parser.add_argument(
            "--labels",
            choices=corpus.LABEL_SETS,
            default="adjudicated_stance" if corpus.ADJUDICATED_PATH.exists() else "original",
            help="The first labeller's orientation and reform stance (original), three "
            "labellers' majority for both (adjudicated), or for the stance alone "
            "(adjudicated_stance, the default when that file exists; ADR 0036), or the revised "
            "orientation with the majority's stance (revised; measured, not kept: ADR 0041).",
        )

        parser.add_argument(
            "--with-practice",
            action="store_true",
            help="Also learn orientation from the practice set (measured and not kept: ADR 0036).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        statements = corpus.load_corpus(options["labels"], practice=options["with_practice"])
        choices = None
        if options["keep_choices"]:
            current = model.load_model()
            if current is not None:
                choices = {name: spec["chosen"] for name, spec in current.meta["heads"].items()}
        meta, arrays = training.train(statements, choices, options["labels"])
        model.save_model(model.WEIGHTS_PATH, model.META_PATH, arrays, meta)
        model.current_model.cache_clear()
        for name, spec in meta["heads"].items():
            self.stdout.write(
                f"{name}: {spec['chosen']} on {spec['trained_on']} statements, cross-validated "
                f"{spec['cross_validated_after_calibration']:.3f}"
            )
        self.stdout.write(
            f"Wrote {model.WEIGHTS_PATH.name} and {model.META_PATH.name}: {meta['version']}"
        )
