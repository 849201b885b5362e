from django.apps import AppConfig


class MoneyConfig(AppConfig):
    name = "commonground.money"
    label = "money"
    verbose_name = "Money flows"

    def ready(self) -> None:
        from commonground.organisations.linkage import on_link_decided
        from commonground.organisations.page_parts import register_page_part

        from .organisation_money import organisation_money
        from .services import flows_apply_link_decision

        # A reviewer's decision updates the flows' links; an organisation's page shows the
        # money it received.
        on_link_decided(flows_apply_link_decision)
        register_page_part("money", organisation_money)
