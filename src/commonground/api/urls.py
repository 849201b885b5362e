"""The versioned JSON API, described by OpenAPI at /api/v1/openapi.json.

One module a resource under api/v1/; each registers its router here.
"""

from ninja import NinjaAPI

from .v1.account import router as account_router
from .v1.organisations import router as organisations_router

api = NinjaAPI(
    title="Common Ground API",
    version="1",
    description="Open data about a place's purpose-driven organisations.",
    urls_namespace="api-v1",
)
api.add_router("/", organisations_router)
api.add_router("/account/", account_router)
