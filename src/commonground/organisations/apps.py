from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "commonground.organisations"
    label = "organisations"

    def ready(self) -> None:
        from commonground.core.data_rights import register_exporter

        from .data_rights import link_review_decisions, shortlists

        register_exporter("link_review_decisions", link_review_decisions)
        register_exporter("shortlists", shortlists)
