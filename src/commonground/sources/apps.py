from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "commonground.sources"
    label = "sources"

    def ready(self) -> None:
        from commonground.core.archives import declare_dataset_limits

        from .catalogue import DATASETS

        declare_dataset_limits({dataset.code: dataset.archive_limits for dataset in DATASETS})
