from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "commonground.profiles"
    label = "profiles"
    verbose_name = "Partnership profiles and services"

    def ready(self) -> None:
        from commonground.organisations.page_parts import register_page_part

        from .page_parts import profile_part
        from .routes import willing_routes

        # Invalid route mapping stops the application starting, with the file and field named.
        willing_routes()
        register_page_part("partnership_profile", profile_part)
