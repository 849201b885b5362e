"""Partnerships, members, stages, milestones, documents, health checks and case studies."""

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "commonground.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from commonground.core.data_rights import register_eraser, register_exporter

        from .data_rights import erase_addresses, export

        register_exporter("partnerships", export)
        register_eraser("partnerships", erase_addresses)

        from commonground.organisations.page_parts import register_shortlist_part

        from .views import shortlist_partnership_choices

        # A shortlist's page offers to add its organisations to a partnership the person leads.
        register_shortlist_part("partnership_choices", shortlist_partnership_choices)
